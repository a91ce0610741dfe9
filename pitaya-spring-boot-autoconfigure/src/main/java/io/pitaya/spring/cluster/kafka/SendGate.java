package io.pitaya.spring.cluster.kafka;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a dead broker from taking every handler thread. A Kafka send normally takes microseconds, but blocks
 * for up to {@code max.block.ms} while the broker's metadata is unknown (Kafka down). At most
 * {@code maxConcurrent} callers are inside a send at once; the others wait for a turn, and give up at once
 * when sends stopped making progress (none finished for {@code stuckAfter} while some are in progress), so
 * they answer their caller with an error instead of queueing behind the broker. Routes that do not use Kafka
 * keep the other threads.
 */
final class SendGate {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Semaphore permits;
    private final int maxConcurrent;
    private final long stuckAfterNanos;
    private volatile long lastProgressNanos = System.nanoTime();

    SendGate(int maxConcurrent, long stuckAfterMillis) {
        this.permits = new Semaphore(maxConcurrent);
        this.maxConcurrent = maxConcurrent;
        this.stuckAfterNanos = TimeUnit.MILLISECONDS.toNanos(stuckAfterMillis);
    }

    /**
     * @param maxWaitNanos the longest wait for a turn (the caller's own deadline)
     * @return true with a turn, to be given back with {@link #release()}; false when Kafka does not take sends
     */
    boolean acquire(long maxWaitNanos) {
        long deadline = System.nanoTime() + maxWaitNanos;
        try {
            while (!stuck()) {
                if (permits.tryAcquire(POLL_NANOS, TimeUnit.NANOSECONDS)) {
                    if (permits.availablePermits() == maxConcurrent - 1) {
                        lastProgressNanos = System.nanoTime(); // the only send now: progress starts counting here
                    }
                    return true;
                }
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The send returned (done or failed): progress. */
    void release() {
        lastProgressNanos = System.nanoTime();
        permits.release();
    }

    /** @return true while sends are in progress and none returned for the stuck time */
    boolean stuck() {
        return permits.availablePermits() < maxConcurrent && System.nanoTime() - lastProgressNanos > stuckAfterNanos;
    }
}
