package io.pitaya.spring.internal.dispatch;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Where handlers run: virtual threads (Java 21+ with {@code spring.threads.virtual.enabled}), or a
 * bounded pool of platform threads. Deliberately not an {@link Executor} bean itself, so that it never
 * replaces the application's own task executor.
 */
public final class HandlerExecutor implements AutoCloseable {

    private final Executor executor;
    private final boolean virtual;

    private HandlerExecutor(Executor executor, boolean virtual) {
        this.executor = executor;
        this.virtual = virtual;
    }

    /** @return an executor that starts a virtual thread per task */
    public static HandlerExecutor virtualThreads() {
        return new HandlerExecutor(new VirtualThreadTaskExecutor("pitaya-handler-"), true);
    }

    /**
     * @param threads the pool size
     * @return a fixed pool of daemon platform threads
     */
    public static HandlerExecutor pool(int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "pitaya-handler-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new HandlerExecutor(pool, false);
    }

    /** @return the executor */
    public Executor executor() {
        return executor;
    }

    /** @return true when handlers run on virtual threads */
    public boolean isVirtual() {
        return virtual;
    }

    @Override
    public void close() {
        if (executor instanceof ExecutorService service) {
            service.shutdown();
        }
    }
}
