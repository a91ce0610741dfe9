package io.pitaya.spring.internal.dispatch;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageType;
import io.pitaya.protocol.Route;
import io.pitaya.serialize.SerializationException;
import io.pitaya.serialize.Serializer;
import io.pitaya.spring.dispatch.HandlerInterceptor;
import io.pitaya.spring.internal.component.HandlerMethod;
import io.pitaya.spring.internal.component.HandlerRegistry;
import io.pitaya.spring.session.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs one client message on its local handler: hooks, payload decoding, invocation, response
 * encoding. The same path serves a frontend's own clients and messages forwarded to a backend.
 */
public class HandlerInvoker {

    private static final Log logger = LogFactory.getLog(HandlerInvoker.class);

    private final HandlerRegistry handlers;
    private final Serializer serializer;
    private final List<HandlerInterceptor> interceptors;

    /**
     * @param handlers the local handlers
     * @param serializer decodes payloads and encodes responses
     * @param interceptors before/after hooks, in order
     */
    public HandlerInvoker(HandlerRegistry handlers, Serializer serializer, List<HandlerInterceptor> interceptors) {
        this.handlers = handlers;
        this.serializer = serializer;
        this.interceptors = List.copyOf(interceptors);
    }

    /**
     * @param session the client's session (local or a backend's copy)
     * @param route the parsed route, of this server's type
     * @param message the Request or Notify
     * @return the response body (empty for a Notify), or a future failed with a {@link PitayaException}
     */
    public CompletableFuture<byte[]> invoke(Session session, Route route, Message message) {
        HandlerMethod handler = handlers.find(route.shortName());
        if (handler == null) {
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.NOT_FOUND, "no handler for route " + route));
        }
        if (message.type() == MessageType.REQUEST && !handler.returnsValue()) {
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.BAD_REQUEST,
                    "route " + route + " is a notify handler; send a Notify"));
        }
        Object result;
        try {
            Object payload = decodePayload(handler, message);
            for (HandlerInterceptor interceptor : interceptors) {
                payload = interceptor.beforeHandler(session, message.route(), payload);
            }
            result = handler.invoke(session, payload);
        } catch (RuntimeException e) {
            return complete(session, message, null, e);
        }
        if (result instanceof CompletionStage<?> stage) {
            return stage.toCompletableFuture().handle((value, error) -> complete(session, message, value, error))
                    .thenCompose(f -> f);
        }
        return complete(session, message, result, null);
    }

    private Object decodePayload(HandlerMethod handler, Message message) {
        if (handler.payloadType() == null) {
            return null;
        }
        if (handler.rawPayload()) {
            return message.data();
        }
        try {
            return serializer.unmarshal(message.data(), handler.payloadType());
        } catch (SerializationException e) {
            throw new PitayaException(ErrorCodes.BAD_REQUEST, "invalid payload for " + message.route() + ": " + e.getMessage());
        }
    }

    private CompletableFuture<byte[]> complete(Session session, Message message, Object value, Throwable error) {
        PitayaException failure = error == null ? null : toPitayaException(error, message.route(), session);
        Object response = value;
        try {
            for (HandlerInterceptor interceptor : interceptors) {
                response = interceptor.afterHandler(session, message.route(), response, failure);
            }
        } catch (RuntimeException e) {
            failure = toPitayaException(e, message.route(), session);
        }
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (message.type() != MessageType.REQUEST) {
            return CompletableFuture.completedFuture(new byte[0]);
        }
        if (response == null) {
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.UNKNOWN, "handler of " + message.route() + " returned null"));
        }
        try {
            return CompletableFuture.completedFuture(response instanceof byte[] raw ? raw : serializer.marshal(response));
        } catch (RuntimeException e) {
            logger.warn("cannot serialize the response of " + message.route() + " for session " + session.id(), e);
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL, "cannot serialize the response: " + e.getMessage()));
        }
    }

    /**
     * The error a caller sees for a failure: a {@link PitayaException} passes unchanged, anything else
     * is logged once here and becomes PIT-000.
     * @param error the failure, possibly wrapped by futures
     * @param route the route, for the log
     * @param session the session, for the log
     * @return the error to answer with
     */
    public static PitayaException toPitayaException(Throwable error, String route, Session session) {
        return toPitayaException(error, logger, () -> "handler of " + route + " failed for session " + session.id());
    }

    /**
     * The same for any failure that answers a caller.
     * @param error the failure, possibly wrapped by futures
     * @param log where a failure that is not a {@link PitayaException} is logged
     * @param what what failed, for that log line
     * @return the error to answer with
     */
    public static PitayaException toPitayaException(Throwable error, Log log, Supplier<String> what) {
        Throwable cause = unwrap(error);
        if (cause instanceof PitayaException pitaya) {
            return pitaya;
        }
        log.warn(what.get(), cause);
        return new PitayaException(ErrorCodes.UNKNOWN, String.valueOf(cause.getMessage()));
    }

    /**
     * @param error a failure
     * @return the failure without {@link CompletionException}/{@link ExecutionException} wrappers
     */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
