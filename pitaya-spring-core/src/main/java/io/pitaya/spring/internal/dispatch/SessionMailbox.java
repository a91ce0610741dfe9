package io.pitaya.spring.internal.dispatch;

import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.pitaya.spring.internal.session.Transport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs the messages of one session one at a time, in arrival order, on a shared executor. A task that
 * returns an unfinished {@link CompletionStage} holds the mailbox until it completes, so asynchronous
 * handlers keep the order too. Different sessions' mailboxes run in parallel.
 *
 * <p>Bounded in count and bytes: when {@code capacity} tasks, or tasks carrying {@code byteCapacity} bytes
 * of client input, wait, the transport stops reading; it reads again once both are half drained. A single
 * task larger than the byte capacity is still taken (it already arrived), then reading pauses.
 */
public final class SessionMailbox {

    /** One unit of work for the session. */
    @FunctionalInterface
    public interface Task {
        /** @return {@code null} when done, or a stage that completes when done */
        @Nullable CompletionStage<?> run();
    }

    /** Work that may run on the thread that offers it, if the session is idle; declines by answering {@code null}. */
    @FunctionalInterface
    public interface Attempt {
        /** @return {@code null} when declined (nothing done), or a stage that completes when done (maybe done already) */
        @Nullable CompletionStage<?> tryRun();
    }

    private static final Log logger = LogFactory.getLog(SessionMailbox.class);
    private static final int BATCH = 32;

    /** A task, and what may run instead on the connection's reading thread (null: nothing). */
    private record Entry(Task task, @Nullable Attempt attempt, int bytes) {
    }

    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean active = new AtomicBoolean();
    private final Executor executor;
    private final @Nullable Executor readingThread;
    private final Transport transport;
    private final int capacity;
    private final long byteCapacity;
    private final Runnable onPause;
    private volatile boolean paused;

    /**
     * @param executor runs the tasks
     * @param transport paused and resumed for backpressure
     * @param capacity waiting tasks before reading pauses
     * @param byteCapacity bytes of client input in waiting tasks before reading pauses
     */
    public SessionMailbox(Executor executor, Transport transport, int capacity, long byteCapacity) {
        this(executor, transport, capacity, byteCapacity, () -> { });
    }

    /**
     * @param executor runs the tasks
     * @param transport paused and resumed for backpressure
     * @param capacity waiting tasks before reading pauses
     * @param byteCapacity bytes of client input in waiting tasks before reading pauses
     * @param onPause told each time reading pauses (metrics)
     */
    public SessionMailbox(Executor executor, Transport transport, int capacity, long byteCapacity, Runnable onPause) {
        this.executor = executor;
        this.transport = transport;
        this.readingThread = transport.readingThread();
        this.capacity = Math.max(1, capacity);
        this.byteCapacity = Math.max(1, byteCapacity);
        this.onPause = onPause;
    }

    /** When the running task of this thread's session became ready to run (for a thread), or absent. */
    private static final ThreadLocal<Long> READY_SINCE = new ThreadLocal<>();
    private volatile long scheduledNanos = System.nanoTime();

    /**
     * @param fallback what to answer outside a session's task
     * @return {@link System#nanoTime()} when the session task running on this thread became ready to run: after the
     *         session's earlier messages, so the time since counts only its wait for a thread and its own run
     */
    public static long readySince(long fallback) {
        Long ready = READY_SINCE.get();
        return ready == null ? fallback : ready;
    }

    /**
     * Queues a task behind the session's earlier ones.
     * @param task the task
     */
    public void submit(Task task) {
        submit(task, 0);
    }

    /**
     * Queues a task that carries client input behind the session's earlier ones.
     * @param task the task
     * @param bytes the size of the input it holds, counted against the byte capacity until it has run
     */
    public void submit(Task task, int bytes) {
        enqueue(new Entry(task, null, bytes));
    }

    private void enqueue(Entry entry) {
        int bytes = entry.bytes();
        queue.add(entry);
        long queuedBytes = bytes == 0 ? pendingBytes.get() : pendingBytes.addAndGet(bytes);
        if (pending.incrementAndGet() >= capacity || queuedBytes >= byteCapacity) {
            synchronized (this) {
                if (!paused && (pending.get() >= capacity || pendingBytes.get() >= byteCapacity)) {
                    paused = true;
                    transport.pauseReading();
                    onPause.run();
                }
            }
        }
        schedule();
    }

    /**
     * Runs {@code attempt} on the calling thread if the session is idle (nothing queued, nothing running), else queues
     * {@code task} as {@link #submit(Task, int)} does; also when the attempt declines, first in line. For work that
     * never blocks, offered by the connection's own thread (its event loop): an idle session's message then costs no
     * hand-off to the executor and back. While the attempt's stage runs, the session's later tasks wait behind it.
     * Queued behind a running stage, the attempt gets its turn on the transport's {@link Transport#readingThread()}
     * when that stage ends (a client that sends the moment it is answered, or pipelines), where it has one.
     * @param attempt what may run here
     * @param task what runs on the executor otherwise
     * @param bytes the size of the input they hold
     */
    public void runNowOrSubmit(Attempt attempt, Task task, int bytes) {
        if (!queue.isEmpty() || !active.compareAndSet(false, true)) {
            enqueue(new Entry(task, attempt, bytes));
            return;
        }
        // Idle, and now held by this thread: first in line, tried here (not counted against the capacity: it runs now).
        pending.incrementAndGet();
        if (bytes != 0) {
            pendingBytes.addAndGet(bytes);
        }
        queue.add(new Entry(task, attempt, bytes));
        attemptHead();
    }

    /** An attempt ran: the session's next task waits until its stage completes. */
    private void heldUntilDone(CompletionStage<?> stage, int bytes) {
        if (!stage.toCompletableFuture().isDone()) {
            stage.whenComplete((r, e) -> {
                finished(bytes);
                resume();
            });
            return;
        }
        finished(bytes);
        resume();
    }

    /** @return how many tasks wait or run (an asynchronous task runs until its stage completes) */
    public int pending() {
        return pending.get();
    }

    /** @return bytes of client input in tasks that wait or run */
    public long pendingBytes() {
        return pendingBytes.get();
    }

    /**
     * @return true while reading is paused because this mailbox is full: the client is not silent then,
     *         the server is not listening
     */
    public boolean isPaused() {
        return paused;
    }

    private void schedule() {
        if (active.compareAndSet(false, true)) {
            next();
        }
    }

    /** With the mailbox held and something queued: its attempt goes to the reading thread, else the executor drains. */
    private void next() {
        Entry head = queue.peek();
        if (head != null && head.attempt() != null && readingThread != null) {
            try {
                readingThread.execute(this::attemptHead);
                return;
            } catch (RejectedExecutionException e) {
                // The connection's thread is shutting down: the executor runs it as a task.
            }
        }
        execute();
    }

    /**
     * On the reading thread, the mailbox held: the first queued message's attempt; declined, its task runs on the
     * executor, still first in line. Only the mailbox's holder takes from the queue, so the head stays put meanwhile.
     */
    private void attemptHead() {
        Entry entry = queue.peek();
        if (entry == null || entry.attempt() == null) {
            resume();
            return;
        }
        CompletionStage<?> stage;
        try {
            stage = entry.attempt().tryRun();
        } catch (RuntimeException | Error e) {
            logger.error("session task failed", e);
            queue.poll();
            finished(entry.bytes());
            resume();
            return;
        }
        if (stage == null) {
            execute();
            return;
        }
        queue.poll();
        heldUntilDone(stage, entry.bytes());
    }

    private void execute() {
        scheduledNanos = System.nanoTime();
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
            Entry entry = queue.poll();
            if (entry == null) {
                idle();
                return;
            }
            // The first task of a run waited for a thread since the run was handed to the executor; the next ones
            // are ready the moment the one before them ends.
            READY_SINCE.set(i == 0 ? scheduledNanos : System.nanoTime());
            CompletionStage<?> stage;
            try {
                stage = runSafely(entry.task());
            } finally {
                READY_SINCE.remove();
            }
            if (stage != null && !stage.toCompletableFuture().isDone()) {
                stage.whenComplete((r, e) -> {
                    finished(entry.bytes());
                    resume();
                });
                return;
            }
            finished(entry.bytes());
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
            next();
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

    private void finished(int bytes) {
        int left = pending.decrementAndGet();
        long leftBytes = bytes == 0 ? pendingBytes.get() : pendingBytes.addAndGet(-bytes);
        if (paused && left <= capacity / 2 && leftBytes <= byteCapacity / 2) {
            synchronized (this) {
                if (paused && pending.get() <= capacity / 2 && pendingBytes.get() <= byteCapacity / 2) {
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
