package io.pitaya.spring.internal.support;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One task run at a fixed delay on its own daemon thread, started and stopped by the lifecycle of its owner. */
public final class PeriodicTask {

    private final String threadName;
    private final Runnable task;
    private ScheduledExecutorService timer;

    /**
     * @param threadName the thread's name, as seen in thread dumps
     * @param task what to run; an exception it throws cancels the later runs, so it handles its own
     */
    public PeriodicTask(String threadName, Runnable task) {
        this.threadName = threadName;
        this.task = task;
    }

    /**
     * Runs the task every {@code period}, the first time one period from now. Does nothing while running.
     * @param period the delay between the end of one run and the start of the next
     */
    public synchronized void start(Duration period) {
        if (timer != null) {
            return;
        }
        timer = DaemonScheduler.create(threadName);
        timer.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Cancels the later runs and interrupts one in progress. */
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /** @return whether started and not stopped since */
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
