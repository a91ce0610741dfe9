package io.pitaya.spring.dispatch;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageType;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.protocol.Route;
import io.pitaya.serialize.SerializationException;
import io.pitaya.spring.component.HandlerMethod;
import io.pitaya.spring.component.HandlerRegistry;
import io.pitaya.spring.session.LocalSession;
import io.pitaya.spring.session.OutboundEncoder;
import io.pitaya.spring.session.Transport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * From a decoded client message to its handler and back: route, payload, hooks, invocation, response.
 * Messages of one session run one at a time through the session's {@link SessionMailbox}.
 */
public class Dispatcher {

    private static final Log logger = LogFactory.getLog(Dispatcher.class);

    private final String serverType;
    private final HandlerRegistry handlers;
    private final OutboundEncoder encoder;
    private final List<HandlerInterceptor> interceptors;
    private final MessageForwarder forwarder;
    private final Executor executor;
    private final int mailboxCapacity;

    /**
     * @param serverType this server's type; two-part routes mean it
     * @param handlers the local handlers
     * @param encoder encodes responses and errors
     * @param interceptors before/after hooks, in order
     * @param forwarder where messages for other server types go
     * @param executor runs the handlers
     * @param mailboxCapacity messages waiting per session before reading pauses
     */
    public Dispatcher(String serverType, HandlerRegistry handlers, OutboundEncoder encoder,
                      List<HandlerInterceptor> interceptors, MessageForwarder forwarder, Executor executor, int mailboxCapacity) {
        this.serverType = serverType;
        this.handlers = handlers;
        this.encoder = encoder;
        this.interceptors = List.copyOf(interceptors);
        this.forwarder = forwarder;
        this.executor = executor;
        this.mailboxCapacity = mailboxCapacity;
    }

    /**
     * @param transport the connection, paused when the mailbox is full
     * @return a mailbox for a new session
     */
    public SessionMailbox newMailbox(Transport transport) {
        return new SessionMailbox(executor, transport, mailboxCapacity);
    }

    /**
     * Handles a Request or Notify of a session, after the session's earlier messages.
     * @param session the client's session
     * @param mailbox the session's mailbox
     * @param message the message
     */
    public void dispatch(LocalSession session, SessionMailbox mailbox, Message message) {
        mailbox.submit(() -> handle(session, message));
    }

    CompletionStage<?> handle(LocalSession session, Message message) {
        Route route;
        try {
            route = Route.parse(message.route(), serverType);
        } catch (ProtocolException e) {
            fail(session, message, new PitayaException(ErrorCodes.BAD_REQUEST, e.getMessage()));
            return null;
        }
        if (!route.serverType().equals(serverType)) {
            return forwarder.forward(session, route, message).handle((body, error) -> {
                if (error != null) {
                    fail(session, message, toPitayaException(error, message, session));
                } else if (message.type() == MessageType.REQUEST) {
                    session.send(encoder.response(message.id(), body));
                }
                return null;
            });
        }
        HandlerMethod handler = handlers.find(route.shortName());
        if (handler == null) {
            fail(session, message, new PitayaException(ErrorCodes.NOT_FOUND, "no handler for route " + route));
            return null;
        }
        if (message.type() == MessageType.REQUEST && !handler.returnsValue()) {
            fail(session, message, new PitayaException(ErrorCodes.BAD_REQUEST, "route " + route + " is a notify handler; send a Notify"));
            return null;
        }
        Object result;
        try {
            Object payload = decodePayload(handler, message);
            for (HandlerInterceptor interceptor : interceptors) {
                payload = interceptor.beforeHandler(session, message.route(), payload);
            }
            result = invoke(handler, session, payload);
        } catch (RuntimeException e) {
            complete(session, message, null, e);
            return null;
        }
        if (result instanceof CompletionStage<?> stage) {
            return stage.handle((value, error) -> {
                complete(session, message, value, error);
                return null;
            });
        }
        complete(session, message, result, null);
        return null;
    }

    private Object decodePayload(HandlerMethod handler, Message message) {
        if (handler.payloadType() == null) {
            return null;
        }
        if (handler.rawPayload()) {
            return message.data();
        }
        try {
            return encoder.serializer().unmarshal(message.data(), handler.payloadType());
        } catch (SerializationException e) {
            throw new PitayaException(ErrorCodes.BAD_REQUEST, "invalid payload for " + message.route() + ": " + e.getMessage());
        }
    }

    private static Object invoke(HandlerMethod handler, LocalSession session, Object payload) {
        Object[] args;
        if (handler.takesSession()) {
            args = handler.payloadType() != null ? new Object[] {session, payload} : new Object[] {session};
        } else {
            args = handler.payloadType() != null ? new Object[] {payload} : new Object[0];
        }
        try {
            return handler.method().invoke(handler.bean(), args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CompletionException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + handler, e);
        }
    }

    private void complete(LocalSession session, Message message, Object value, Throwable error) {
        PitayaException failure = error == null ? null : toPitayaException(error, message, session);
        Object response = value;
        try {
            for (HandlerInterceptor interceptor : interceptors) {
                response = interceptor.afterHandler(session, message.route(), response, failure);
            }
        } catch (RuntimeException e) {
            failure = toPitayaException(e, message, session);
        }
        if (message.type() != MessageType.REQUEST) {
            if (failure != null) {
                logger.debug("notify " + message.route() + " of session " + session.id() + " failed: " + failure);
            }
            return;
        }
        if (failure == null && response == null) {
            failure = new PitayaException(ErrorCodes.UNKNOWN, "handler of " + message.route() + " returned null");
        }
        if (failure != null) {
            fail(session, message, failure);
            return;
        }
        byte[] body;
        try {
            body = encoder.body(response);
        } catch (RuntimeException e) {
            logger.warn("cannot serialize the response of " + message.route() + " for session " + session.id(), e);
            fail(session, message, new PitayaException(ErrorCodes.INTERNAL, "cannot serialize the response: " + e.getMessage()));
            return;
        }
        session.send(encoder.response(message.id(), body));
    }

    private void fail(LocalSession session, Message message, PitayaException error) {
        if (message.type() == MessageType.REQUEST) {
            session.send(encoder.error(message.id(), error));
        }
    }

    private static PitayaException toPitayaException(Throwable error, Message message, LocalSession session) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof PitayaException pitaya) {
            return pitaya;
        }
        logger.warn("handler of " + message.route() + " failed for session " + session.id(), cause);
        return new PitayaException(ErrorCodes.UNKNOWN, String.valueOf(cause.getMessage()));
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
}
