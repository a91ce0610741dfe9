package io.pitaya.spring.internal.dispatch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageType;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.protocol.Route;
import io.pitaya.spring.internal.session.LocalSession;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.internal.session.Transport;
import io.pitaya.spring.metrics.PitayaMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * From a client's decoded message to its handler, local or on another server, and the answer back to
 * the client. Messages of one session run one at a time through the session's {@link SessionMailbox}.
 */
public class Dispatcher {

    private static final Log logger = LogFactory.getLog(Dispatcher.class);

    private final String serverType;
    private final HandlerInvoker invoker;
    private final OutboundEncoder encoder;
    private final MessageForwarder forwarder;
    private final Executor executor;
    private final int mailboxCapacity;
    private final long mailboxBytes;
    private final Duration handlerTimeout;
    private final PitayaMetrics metrics;
    private final ObservationRegistry observations;

    /**
     * @param serverType this server's type; two-part routes mean it
     * @param invoker runs local handlers
     * @param encoder encodes responses and errors
     * @param forwarder where messages for other server types go
     * @param executor runs the handlers
     * @param mailboxCapacity messages waiting per session before reading pauses
     * @param mailboxBytes bytes of messages waiting per session before reading pauses
     * @param handlerTimeout how long an asynchronous local handler may take before the client gets PIT-408
     *        and the session's next message runs
     * @param metrics measures delays, response times and drops
     * @param observations observes every handled message ({@code pitaya.handler}), for tracing bridges
     */
    public Dispatcher(String serverType, HandlerInvoker invoker, OutboundEncoder encoder, MessageForwarder forwarder,
                      Executor executor, int mailboxCapacity, long mailboxBytes, Duration handlerTimeout,
                      PitayaMetrics metrics, ObservationRegistry observations) {
        this.serverType = serverType;
        this.invoker = invoker;
        this.encoder = encoder;
        this.forwarder = forwarder;
        this.executor = executor;
        this.mailboxCapacity = mailboxCapacity;
        this.mailboxBytes = mailboxBytes;
        this.handlerTimeout = handlerTimeout;
        this.metrics = metrics;
        this.observations = observations;
    }

    /**
     * @param transport the connection, paused when the mailbox is full
     * @param onPause told each time reading pauses
     * @return a mailbox for a new session
     */
    public SessionMailbox newMailbox(Transport transport, Runnable onPause) {
        return new SessionMailbox(executor, transport, mailboxCapacity, mailboxBytes, onPause);
    }

    /**
     * Runs a task for a session after its queued messages (close callbacks, for example).
     * @param mailbox the session's mailbox
     * @param task the task
     */
    public void runInOrder(SessionMailbox mailbox, Runnable task) {
        mailbox.submit(() -> {
            task.run();
            return null;
        });
    }

    /**
     * Handles a Request or Notify of a session. Called from the session's mailbox, so after the session's
     * earlier messages; the returned stage holds the mailbox until the answer is sent.
     * @param session the client's session
     * @param message the message
     * @param arrived {@link System#nanoTime()} when it arrived
     * @return {@code null} when answered already, or a stage that completes once answered
     */
    public @Nullable CompletionStage<?> handle(LocalSession session, Message message, long arrived) {
        long start = System.nanoTime();
        String name = message.route();
        Observation observation = Observation.NOOP;
        CompletableFuture<byte[]> answer;
        try {
            Route route = Route.parse(message.route(), serverType);
            name = route.toString();
            observation = observe(name, message, session);
            try (Observation.Scope scope = observation.openScope()) {
                if (route.serverType().equals(serverType)) {
                    answer = bounded(invoker.invoke(session, route, message), name, session);
                } else {
                    // Bounded by the RPC timeout, counted from when the message was ready to run: its wait for a handler
                    // thread counts, its wait behind the session's earlier messages does not.
                    answer = forwarder.forward(session, route, message, Math.max(arrived, SessionMailbox.readySince(arrived)));
                }
            }
        } catch (ProtocolException e) {
            answer = CompletableFuture.failedFuture(new PitayaException(ErrorCodes.BAD_REQUEST, e.getMessage()));
        } catch (RuntimeException | Error e) {
            // Thrown before any future existed (a forward whose session data cannot be serialized, an interceptor):
            // the client still gets an answer, and the session's next message runs.
            answer = CompletableFuture.failedFuture(e);
        }
        return answered(session, message, name, arrived, start, observation, answer);
    }

    /**
     * @return true when {@link #forwardWithoutBlocking} may take messages at all (a cluster server: its messages for other
     *         server types need no handler of this one)
     */
    public boolean forwardsWithoutBlocking() {
        return forwarder.forwardsWithoutBlocking(null);
    }

    /**
     * Forwards a Request or Notify for another server type on the calling thread, which must not block (the
     * connection's event loop), to save the hand-off to a handler thread and back: only when that runs no
     * application code (no custom router, no local handler, no interceptor) and waits for nothing. If Kafka cannot
     * take it at once, the forward continues on a handler thread, the same observation and the same answer.
     * Called from the session's mailbox while it is otherwise idle, so in order with the session's messages.
     * @param session the client's session
     * @param message the message
     * @param arrived {@link System#nanoTime()} when it arrived
     * @return {@code null} when the message is not one to forward here (it goes to a handler thread, as
     *         {@link #handle}), or a stage that completes once answered
     */
    public @Nullable CompletionStage<?> forwardWithoutBlocking(LocalSession session, Message message, long arrived) {
        Route route;
        try {
            route = Route.parse(message.route(), serverType);
        } catch (ProtocolException e) {
            return null; // answered by handle(), on a handler thread
        }
        if (route.serverType().equals(serverType) || !forwarder.forwardsWithoutBlocking(route)) {
            return null;
        }
        long start = System.nanoTime();
        String name = route.toString();
        Observation observation = observe(name, message, session);
        CompletableFuture<byte[]> answer;
        try (Observation.Scope scope = observation.openScope()) {
            answer = forwarder.forwardWithoutBlocking(session, route, message, arrived);
        } catch (RuntimeException | Error e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (answer == null) {
            // Kafka could not take it at once (taken for down, or every send turn in use): the forward waits on a
            // handler thread instead, where a blocked send is allowed; the session's next messages wait behind it.
            Observation observed = observation;
            try {
                answer = CompletableFuture.supplyAsync(() -> observed.scoped(() -> forwarder.forward(session, route, message, arrived)), executor)
                        .thenCompose(forwarded -> forwarded);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e); // the executor is shutting down
            }
        }
        CompletionStage<?> pending = answered(session, message, name, arrived, start, observation, answer);
        // Taken here, so never null, which would have the caller run the message again on a handler thread: also when
        // answered already (failed at once, or answered by the backend before this thread got here on a busy box).
        return pending != null ? pending : CompletableFuture.completedFuture(null);
    }

    private Observation observe(String name, Message message, LocalSession session) {
        return Observation.createNotStarted("pitaya.handler", observations)
                .contextualName(name)
                .lowCardinalityKeyValue("route", metrics.routeTag(name))
                .lowCardinalityKeyValue("type", message.type() == MessageType.REQUEST ? "request" : "notify")
                .highCardinalityKeyValue("session.id", String.valueOf(session.id()))
                .start();
    }

    private @Nullable CompletionStage<?> answered(LocalSession session, Message message, String route, long arrived, long start,
                                                 Observation observation, CompletableFuture<byte[]> answer) {
        if (answer.isDone()) {
            Throwable error = failure(answer);
            reply(session, message, route, arrived, start, observation, error == null ? answer.join() : null, error);
            return null;
        }
        return answer.handle((body, error) -> {
            reply(session, message, route, arrived, start, observation, body, error);
            return null;
        });
    }

    /**
     * An asynchronous handler that never completes would hold its session's mailbox, and with it the
     * session's close callbacks, for ever: past the handler timeout the client gets PIT-408 and the session
     * moves on. The handler's own future is left as it is.
     */
    private CompletableFuture<byte[]> bounded(CompletableFuture<byte[]> answer, String route, LocalSession session) {
        if (answer.isDone()) {
            return answer;
        }
        return answer.copy().orTimeout(handlerTimeout.toNanos(), TimeUnit.NANOSECONDS).exceptionallyCompose(error -> {
            if (HandlerInvoker.unwrap(error) instanceof TimeoutException && !answer.isDone()) {
                logger.warn("handler of " + route + " did not complete within " + handlerTimeout + " for session " + session.id()
                        + ": answered " + ErrorCodes.TIMEOUT + ", the session's next message runs");
                return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.TIMEOUT,
                        "handler of " + route + " did not complete within " + handlerTimeout));
            }
            return CompletableFuture.failedFuture(error);
        });
    }

    private void reply(LocalSession session, Message message, String route, long arrived, long start, Observation observation,
                       byte[] body, Throwable error) {
        PitayaException failure = error == null ? null : HandlerInvoker.toPitayaException(error, message.route(), session);
        metrics.handled(route, PitayaMetrics.TYPE_HANDLER, System.nanoTime() - start, failure == null ? null : failure.code());
        metrics.delayed(route, PitayaMetrics.DELAY_LOCAL, start - arrived);
        observation.lowCardinalityKeyValue("route", metrics.routeTag(route));
        observation.lowCardinalityKeyValue("code", failure == null ? "" : failure.code());
        if (failure != null) {
            observation.error(failure);
        }
        observation.stop();
        if (message.type() != MessageType.REQUEST) {
            if (failure != null) {
                logger.debug("notify " + message.route() + " of session " + session.id() + " failed: " + failure);
            }
            return;
        }
        boolean sent = session.send(failure == null ? encoder.response(message.id(), body) : encoder.error(message.id(), failure));
        if (!sent) {
            metrics.dropped(route);
        }
    }

    private static Throwable failure(CompletableFuture<?> future) {
        if (!future.isCompletedExceptionally()) {
            return null;
        }
        try {
            future.join();
            return null;
        } catch (RuntimeException e) {
            return HandlerInvoker.unwrap(e);
        }
    }
}
