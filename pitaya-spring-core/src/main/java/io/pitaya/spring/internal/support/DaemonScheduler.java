package io.pitaya.spring.internal.support;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The single-thread daemon schedulers behind the server's periodic work (sweeps, resyncs, TTL passes). */
public final class DaemonScheduler {

    private DaemonScheduler() {
    }

    /**
     * @param threadName the thread's name, as seen in thread dumps
     * @return a scheduler whose one thread never keeps the JVM alive
     */
    public static ScheduledExecutorService create(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }
}
