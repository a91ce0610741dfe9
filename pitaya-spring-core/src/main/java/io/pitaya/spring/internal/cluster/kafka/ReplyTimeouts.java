package io.pitaya.spring.internal.cluster.kafka;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The scheduler of {@code ReplyingKafkaTemplate}'s reply timeouts, made cancellable.
 *
 * <p>The template schedules one timeout task per request and drops the handle, so the task stays queued
 * for the whole timeout even when the reply came in a millisecond, holding the request's record (payload
 * and headers). Under load that is every request of the last five seconds: hundreds of thousands of
 * records that survive young collections and make each of them copy them (pauses of 40-60 ms every second
 * or two at 28,000 forwarded requests/s). The template schedules on the thread that sends, so right after
 * {@code sendAndReceive} that thread takes the handle here ({@link #takeScheduled()}) and the caller
 * cancels it when the reply arrives; cancelled tasks leave the queue at once.
 */
final class ReplyTimeouts extends ThreadPoolTaskScheduler {

    private final ThreadLocal<ScheduledFuture<?>> scheduled = new ThreadLocal<>();

    ReplyTimeouts() {
        setRemoveOnCancelPolicy(true);
        setDaemon(true);
        setThreadNamePrefix("pitaya-rpc-timeouts-");
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
        ScheduledFuture<?> future = super.schedule(task, startTime);
        scheduled.set(future);
        return future;
    }

    /** @return the task the calling thread scheduled last, now no longer remembered (null if none) */
    @Nullable ScheduledFuture<?> takeScheduled() {
        ScheduledFuture<?> future = scheduled.get();
        if (future != null) {
            scheduled.set(null);
        }
        return future;
    }

    /** @return timeouts still waiting: calls that have neither been answered nor timed out */
    int waiting() {
        return getScheduledThreadPoolExecutor().getQueue().size();
    }
}
