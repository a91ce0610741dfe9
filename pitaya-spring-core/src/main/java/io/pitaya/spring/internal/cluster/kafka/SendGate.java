package io.pitaya.spring.internal.cluster.kafka;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Keeps a dead broker from taking every handler thread. A Kafka send normally takes microseconds, but blocks
 * for up to {@code max.block.ms} while the broker's metadata is unknown (Kafka down). At most
 * {@code maxConcurrent} callers are inside a send at once; the others wait for a turn, and give up at once
 * when sends stopped making progress (none finished for {@code stuckAfter} while some are in progress), so
 * they answer their caller with an error instead of queueing behind the broker. Routes that do not use Kafka
 * keep the other threads.
 * <p>
 * Once a send has failed (the broker's metadata did not come within {@code max.block.ms}), Kafka is taken for
 * down: one send at a time tries it (a probe, which may block that long), every other caller is refused at
 * once, until a send succeeds. During an outage a request thus fails in microseconds, not after
 * {@code max.block.ms}.
 */
final class SendGate {

    /** A caller's turn to send, given back with {@link #release(Turn, boolean)} by whichever thread made the send. */
    enum Turn {
        /** An ordinary turn. */
        SEND,
        /** The one send that tries a broker taken for down. */
        PROBE
    }

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Semaphore permits;
    private final int maxConcurrent;
    private final long stuckAfterNanos;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean down;
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();

    SendGate(int maxConcurrent, long stuckAfterMillis) {
        this.permits = new Semaphore(maxConcurrent);
        this.maxConcurrent = maxConcurrent;
        this.stuckAfterNanos = TimeUnit.MILLISECONDS.toNanos(stuckAfterMillis);
    }

    /**
     * @param maxWaitNanos the longest wait for a turn (the caller's own deadline)
     * @return a turn, to be given back with {@link #release(Turn, boolean)}; null when Kafka does not take sends
     */
    @Nullable Turn acquire(long maxWaitNanos) {
        boolean isProbe = false;
        if (down) {
            if (!probing.compareAndSet(false, true)) {
                return null;
            }
            isProbe = true;
        }
        boolean acquired = acquireTurn(maxWaitNanos);
        if (!acquired) {
            if (isProbe) {
                probing.set(false);
            }
            return null;
        }
        return isProbe ? Turn.PROBE : Turn.SEND;
    }

    /**
     * A turn only if one is free now, for a caller that must not wait (an event loop): none while Kafka is taken for
     * down (a probe may block; the caller's usual path makes it), while sends are stuck, or while every turn is taken.
     * @return a turn, to be given back with {@link #release(Turn, boolean)}, or null
     */
    @Nullable Turn tryAcquireNow() {
        if (down || stuck() || !permits.tryAcquire()) {
            return null;
        }
        if (permits.availablePermits() == maxConcurrent - 1) {
            lastProgressNanos = System.nanoTime();
        }
        return Turn.SEND;
    }

    private boolean acquireTurn(long maxWaitNanos) {
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

    /**
     * The send returned: progress.
     * @param turn the turn it was made in
     * @param failed whether it failed at once (no metadata within {@code max.block.ms}: Kafka is down)
     */
    void release(Turn turn, boolean failed) {
        lastProgressNanos = System.nanoTime();
        down = failed;
        if (turn == Turn.PROBE) {
            probing.set(false);
        }
        permits.release();
    }

    /**
     * Gives a turn back unused: what is known of Kafka stays as it was.
     * @param turn the turn
     */
    void giveBack(Turn turn) {
        if (turn == Turn.PROBE) {
            probing.set(false);
        }
        permits.release();
    }

    /** @return true while the last send failed: only a probe may send */
    boolean down() {
        return down;
    }

    /** @return true while sends are in progress and none returned for the stuck time */
    boolean stuck() {
        return permits.availablePermits() < maxConcurrent && System.nanoTime() - lastProgressNanos > stuckAfterNanos;
    }
}
