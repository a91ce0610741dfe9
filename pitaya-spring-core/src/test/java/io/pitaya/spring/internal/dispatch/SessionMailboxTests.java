package io.pitaya.spring.internal.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.pitaya.spring.internal.session.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SessionMailboxTests {

    /** Records what the mailbox asks of the socket. */
    static final class RecordingTransport implements Transport {
        final List<String> calls = new CopyOnWriteArrayList<>();
        /** The connection's own thread, or null (a servlet container's). */
        Executor reader;

        @Override
        public Executor readingThread() {
            return reader;
        }

        @Override
        public void send(byte[] packet) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }

        @Override
        public void pauseReading() {
            calls.add("pause");
        }

        @Override
        public void resumeReading() {
            calls.add("resume");
        }

        @Override
        public String remoteAddress() {
            return "test";
        }

        @Override
        public void abort() {
        }

        @Override
        public long pendingBytes() {
            return 0;
        }

        @Override
        public long writtenBytes() {
            return 0;
        }
    }

    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
    }

    @Test
    void tasksRunOneAtATimeInOrderEvenWhenTheyFinishAsynchronously() throws Exception {
        SessionMailbox mailbox = new SessionMailbox(executor, new RecordingTransport(), 1000, Long.MAX_VALUE);
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(300);
        for (int i = 0; i < 300; i++) {
            int n = i;
            mailbox.submit(() -> {
                order.add(n);
                done.countDown();
                // Every third task completes later, on another thread: the next must wait for it.
                return n % 3 == 0 ? CompletableFuture.runAsync(() -> order.add(-n),
                        CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS)) : null;
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        await().until(() -> order.size() == 400);
        for (int i = 0, pos = 0; i < 300; i++) {
            assertThat(order.get(pos++)).isEqualTo(i);
            if (i % 3 == 0) {
                assertThat(order.get(pos++)).isEqualTo(-i);
            }
        }
    }

    @Test
    void readingPausesWhenTheQueueIsFullAndResumesWhenHalfDrained() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        SessionMailbox mailbox = new SessionMailbox(executor, transport, 4, Long.MAX_VALUE);
        CountDownLatch gate = new CountDownLatch(1);
        mailbox.submit(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        for (int i = 0; i < 4; i++) {
            mailbox.submit(() -> null);
        }
        assertThat(transport.calls).containsExactly("pause");

        gate.countDown();

        await().until(() -> mailbox.pending() == 0);
        assertThat(transport.calls).containsExactly("pause", "resume");
    }

    @Test
    void anAttemptRunsOnTheOfferingThreadOnlyWhileTheSessionIsIdleAndHoldsItUntilItsStageCompletes() throws Exception {
        SessionMailbox mailbox = new SessionMailbox(executor, new RecordingTransport(), 10, Long.MAX_VALUE);
        Thread offering = Thread.currentThread();
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> answer = new CompletableFuture<>();

        mailbox.runNowOrSubmit(() -> {
            ran.add("attempt 1 on " + (Thread.currentThread() == offering ? "offering thread" : "executor"));
            return answer;
        }, () -> {
            ran.add("task 1");
            return null;
        }, 0);
        // Busy (the first one's stage is not complete): the second goes to the executor, after the first.
        mailbox.runNowOrSubmit(() -> {
            ran.add("attempt 2");
            return null;
        }, () -> {
            ran.add("task 2");
            return null;
        }, 0);
        Thread.sleep(50);
        assertThat(ran).containsExactly("attempt 1 on offering thread");
        assertThat(mailbox.pending()).isEqualTo(2);

        answer.complete(null);

        await().until(() -> mailbox.pending() == 0);
        assertThat(ran).containsExactly("attempt 1 on offering thread", "task 2");
    }

    @Test
    void aDeclinedAttemptRunsItsTaskOnTheExecutorBeforeWhatCameAfter() throws Exception {
        SessionMailbox mailbox = new SessionMailbox(executor, new RecordingTransport(), 10, Long.MAX_VALUE);
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);

        mailbox.runNowOrSubmit(() -> null, () -> {
            ran.add("task 1 on " + Thread.currentThread().getName());
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }, 0);
        mailbox.submit(() -> {
            ran.add("task 2");
            return null;
        });
        gate.countDown();

        await().until(() -> mailbox.pending() == 0);
        assertThat(ran).hasSize(2);
        assertThat(ran.get(0)).startsWith("task 1 on pool-");
        assertThat(ran.get(1)).isEqualTo("task 2");
    }

    /** The connection's own thread, as a Netty channel's event loop. */
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> new Thread(r, "reader"));

    @AfterEach
    void shutdownReader() {
        reader.shutdownNow();
    }

    private SessionMailbox readBy(Executor readingThread) {
        RecordingTransport transport = new RecordingTransport();
        transport.reader = readingThread;
        return new SessionMailbox(executor, transport, 10, Long.MAX_VALUE);
    }

    /** Work that records where it ran and answers {@code answer} (null: done, or declined for an attempt). */
    private static SessionMailbox.Task recording(List<String> ran, String what, CompletableFuture<?> answer) {
        return () -> {
            ran.add(what + " on " + Thread.currentThread().getName());
            return answer;
        };
    }

    private static SessionMailbox.Attempt attempt(List<String> ran, String what, CompletableFuture<?> answer) {
        SessionMailbox.Task task = recording(ran, what, answer);
        return task::run;
    }

    @Test
    void anAttemptQueuedBehindARunningStageGetsItsTurnOnTheReadingThreadWhenThatStageEnds() throws Exception {
        SessionMailbox mailbox = readBy(reader);
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();

        mailbox.runNowOrSubmit(attempt(ran, "attempt 1", first), recording(ran, "task 1", null), 0);
        // The client sent again before the first was answered (or the moment it was): queued with its attempt.
        mailbox.runNowOrSubmit(attempt(ran, "attempt 2", second), recording(ran, "task 2", null), 0);
        mailbox.submit(recording(ran, "task 3", null));
        String here = "attempt 1 on " + Thread.currentThread().getName();
        Thread.sleep(50);
        assertThat(ran).containsExactly(here);

        first.complete(null); // completed on this thread, as a Kafka consumer completes a forward
        await().until(() -> ran.size() == 2);
        assertThat(ran).containsExactly(here, "attempt 2 on reader");
        Thread.sleep(50);
        assertThat(ran).as("the attempt's stage holds the session").hasSize(2);
        assertThat(mailbox.pending()).isEqualTo(2);

        second.complete(null);
        await().until(() -> mailbox.pending() == 0);
        assertThat(ran).hasSize(3);
        assertThat(ran.get(2)).startsWith("task 3 on pool-");
    }

    @Test
    void anAttemptDeclinedOnTheReadingThreadRunsItsTaskOnTheExecutorStillFirstInLine() throws Exception {
        SessionMailbox mailbox = readBy(reader);
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> first = new CompletableFuture<>();

        mailbox.runNowOrSubmit(() -> first, () -> null, 0);
        // Declined (say, a route this server handles itself): its task runs instead.
        mailbox.runNowOrSubmit(attempt(ran, "attempt 2", null), recording(ran, "task 2", null), 0);
        mailbox.submit(recording(ran, "task 3", null));

        first.complete(null);
        await().until(() -> mailbox.pending() == 0);
        assertThat(ran).hasSize(3);
        assertThat(ran.get(0)).isEqualTo("attempt 2 on reader");
        assertThat(ran.get(1)).startsWith("task 2 on pool-");
        assertThat(ran.get(2)).startsWith("task 3 on pool-");
    }

    @Test
    void aQueuedAttemptRunsAsATaskOnTheExecutorWhenTheReadingThreadIsGone() throws Exception {
        reader.shutdown();
        SessionMailbox mailbox = readBy(reader);
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> first = new CompletableFuture<>();

        mailbox.runNowOrSubmit(() -> first, () -> null, 0);
        mailbox.runNowOrSubmit(attempt(ran, "attempt 2", null), recording(ran, "task 2", null), 0);

        first.complete(null);
        await().until(() -> mailbox.pending() == 0);
        assertThat(ran).hasSize(1);
        assertThat(ran.get(0)).startsWith("task 2 on pool-");
    }

    @Test
    void aFailingTaskDoesNotStopTheSession() throws Exception {
        SessionMailbox mailbox = new SessionMailbox(executor, new RecordingTransport(), 10, Long.MAX_VALUE);
        CountDownLatch after = new CountDownLatch(1);
        mailbox.submit(() -> {
            throw new IllegalStateException("handler bug");
        });
        mailbox.submit(() -> {
            after.countDown();
            return null;
        });
        assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anAsynchronousTaskFinishingWithNothingQueuedWakesNoPoolThread() throws Exception {
        AtomicInteger handOffs = new AtomicInteger();
        Executor counting = task -> {
            handOffs.incrementAndGet();
            executor.execute(task);
        };
        SessionMailbox mailbox = new SessionMailbox(counting, new RecordingTransport(), 10, Long.MAX_VALUE);
        for (int i = 0; i < 50; i++) {
            CompletableFuture<Void> reply = new CompletableFuture<>();
            CountDownLatch started = new CountDownLatch(1);
            mailbox.submit(() -> {
                started.countDown();
                return reply;
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            // The answer arrives on another thread (a forwarded request's reply, for example).
            CompletableFuture.runAsync(() -> reply.complete(null)).join();
            await().pollInterval(Duration.ofMillis(1)).until(() -> mailbox.pending() == 0);
        }
        // One hand-off per message to start it; none to find the queue empty afterwards.
        assertThat(handOffs.get()).isEqualTo(50);
    }

    @Test
    void aMessageQueuedWhileTheAsynchronousTaskFinishesStillRuns() throws Exception {
        SessionMailbox mailbox = new SessionMailbox(executor, new RecordingTransport(), 100_000, Long.MAX_VALUE);
        AtomicInteger ran = new AtomicInteger();
        ExecutorService completer = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 10_000; i++) {
                CompletableFuture<Void> reply = new CompletableFuture<>();
                mailbox.submit(() -> {
                    ran.incrementAndGet();
                    completer.execute(() -> reply.complete(null));
                    return reply;
                });
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> ran.get() == 10_000 && mailbox.pending() == 0);
        } finally {
            completer.shutdownNow();
        }
    }
}
