package io.pitaya.spring.dispatch;

import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.pitaya.spring.session.Transport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs the messages of one session one at a time, in arrival order, on a shared executor. A task that
 * returns an unfinished {@link CompletionStage} holds the mailbox until it completes, so asynchronous
 * handlers keep the order too. Different sessions' mailboxes run in parallel.
 *
 * <p>Bounded: when {@code capacity} tasks wait, the transport stops reading; it reads again once the
 * queue is half drained.
 */
public final class SessionMailbox {

    /** One unit of work for the session. */
    @FunctionalInterface
    public interface Task {
        /** @return {@code null} when done, or a stage that completes when done */
        CompletionStage<?> run();
    }

    private static final Log logger = LogFactory.getLog(SessionMailbox.class);
    private static final int BATCH = 32;

    private final Queue<Task> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean active = new AtomicBoolean();
    private final Executor executor;
    private final Transport transport;
    private final int capacity;
    private boolean paused;

    /**
     * @param executor runs the tasks
     * @param transport paused and resumed for backpressure
     * @param capacity waiting tasks before reading pauses
     */
    public SessionMailbox(Executor executor, Transport transport, int capacity) {
        this.executor = executor;
        this.transport = transport;
        this.capacity = Math.max(1, capacity);
    }

    /**
     * Queues a task behind the session's earlier ones.
     * @param task the task
     */
    public void submit(Task task) {
        queue.add(task);
        if (pending.incrementAndGet() >= capacity) {
            synchronized (this) {
                if (!paused && pending.get() >= capacity) {
                    paused = true;
                    transport.pauseReading();
                }
            }
        }
        schedule();
    }

    /** @return how many tasks wait or run (an asynchronous task runs until its stage completes) */
    public int pending() {
        return pending.get();
    }

    private void schedule() {
        if (active.compareAndSet(false, true)) {
            execute();
        }
    }

    private void execute() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // Shutting down: nothing more will run for this session.
            active.set(false);
            logger.debug("executor rejected session work during shutdown");
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Task task = queue.poll();
            if (task == null) {
                idle();
                return;
            }
            CompletionStage<?> stage = runSafely(task);
            if (stage != null && !stage.toCompletableFuture().isDone()) {
                stage.whenComplete((r, e) -> {
                    finished();
                    resume();
                });
                return;
            }
            finished();
        }
        // Let other sessions run before continuing (matters on the bounded pool).
        execute();
    }

    /**
     * After an asynchronous task: back to the executor only when more work waits. A session with one
     * request at a time (the common case, and every forwarded request) costs no wake-up of a pool
     * thread that would only find the queue empty.
     */
    private void resume() {
        if (!queue.isEmpty()) {
            execute();
            return;
        }
        idle();
    }

    /** Nothing queued: goes idle, unless a message arrived meanwhile (it found the mailbox still active). */
    private void idle() {
        active.set(false);
        if (!queue.isEmpty()) {
            schedule();
        }
    }

    private void finished() {
        int left = pending.decrementAndGet();
        if (left <= capacity / 2) {
            synchronized (this) {
                if (paused && pending.get() <= capacity / 2) {
                    paused = false;
                    transport.resumeReading();
                }
            }
        }
    }

    private static CompletionStage<?> runSafely(Task task) {
        try {
            return task.run();
        } catch (RuntimeException | Error e) {
            logger.error("session task failed", e);
            return null;
        }
    }
}
