package io.pitaya.spring.internal.dispatch;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.Route;
import io.pitaya.serialize.ProtobufSerializer;
import io.pitaya.serialize.SerializationException;
import io.pitaya.serialize.Serializer;
import io.pitaya.spring.dispatch.RemoteInterceptor;
import io.pitaya.spring.internal.component.HandlerMethod;
import io.pitaya.spring.internal.component.RemoteRegistry;

/**
 * Calls this server's {@code @PitayaRemote} methods with a serialized argument and serializes the
 * answer: protobuf messages as protobuf, {@code byte[]} raw, anything else with the configured serializer.
 */
public class RemoteInvoker {

    private final RemoteRegistry remotes;
    private final Serializer serializer;
    private final List<RemoteInterceptor> interceptors;
    private final ProtobufSerializer protobuf = new ProtobufSerializer();

    /**
     * @param remotes this server's remotes
     * @param serializer for arguments and answers that are not protobuf messages
     */
    public RemoteInvoker(RemoteRegistry remotes, Serializer serializer) {
        this(remotes, serializer, List.of());
    }

    /**
     * @param remotes this server's remotes
     * @param serializer for arguments and answers that are not protobuf messages
     * @param interceptors before/after hooks, in order
     */
    public RemoteInvoker(RemoteRegistry remotes, Serializer serializer, List<RemoteInterceptor> interceptors) {
        this.remotes = remotes;
        this.serializer = serializer;
        this.interceptors = List.copyOf(interceptors);
    }

    /**
     * @param route the remote's route, of this server's type
     * @param arg the serialized argument
     * @return the serialized answer, or a future failed with a {@link PitayaException}
     */
    public CompletableFuture<byte[]> invoke(Route route, byte[] arg) {
        HandlerMethod remote = remotes.find(route.shortName());
        if (remote == null) {
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.NOT_FOUND, "no remote for route " + route));
        }
        CompletableFuture<?> result;
        try {
            Object payload = remote.payloadType() == null ? null : decode(remote, arg);
            for (RemoteInterceptor interceptor : interceptors) {
                payload = interceptor.beforeRemote(route.toString(), payload);
            }
            Object value = remote.invoke(null, payload);
            result = value instanceof CompletionStage<?> stage ? stage.toCompletableFuture() : CompletableFuture.completedFuture(value);
        } catch (RuntimeException e) {
            if (interceptors.isEmpty()) {
                return CompletableFuture.failedFuture(e);
            }
            result = CompletableFuture.failedFuture(e);
        }
        if (!interceptors.isEmpty()) {
            result = result.handle((value, error) -> after(route.toString(), value, error));
        }
        return result.thenApply(value -> {
            if (value == null) {
                throw new PitayaException(ErrorCodes.UNKNOWN, "remote " + route + " returned null");
            }
            return encode(value);
        });
    }

    private Object after(String route, Object value, Throwable error) {
        PitayaException failure = error == null ? null : asPitayaException(HandlerInvoker.unwrap(error));
        Object answer = value;
        try {
            for (RemoteInterceptor interceptor : interceptors) {
                answer = interceptor.afterRemote(route, answer, failure);
            }
        } catch (RuntimeException e) {
            failure = asPitayaException(e);
        }
        if (failure != null) {
            throw failure;
        }
        return answer;
    }

    private static PitayaException asPitayaException(Throwable error) {
        return error instanceof PitayaException pitaya ? pitaya
                : new PitayaException(ErrorCodes.UNKNOWN, error.getMessage() != null ? error.getMessage() : error.getClass().getName());
    }

    /**
     * @param value an argument or answer
     * @return its bytes: protobuf for protobuf messages, raw for {@code byte[]}, else the serializer's
     */
    public byte[] encode(Object value) {
        return value instanceof byte[] raw ? raw : serializerFor(value.getClass()).marshal(value);
    }

    /**
     * @param data bytes from {@link #encode(Object)}
     * @param type the type wanted
     * @param <T> the type wanted
     * @return the value
     */
    @SuppressWarnings("unchecked")
    public <T> T decode(byte[] data, Class<T> type) {
        return type == byte[].class ? (T) data : serializerFor(type).unmarshal(data, type);
    }

    private Object decode(HandlerMethod remote, byte[] data) {
        if (remote.rawPayload()) {
            return data;
        }
        Class<?> type = remote.payloadType() instanceof Class<?> c ? c : Object.class;
        try {
            return serializerFor(type).unmarshal(data, remote.payloadType());
        } catch (SerializationException e) {
            throw new PitayaException(ErrorCodes.BAD_REQUEST, "invalid argument for " + remote.name() + ": " + e.getMessage());
        }
    }

    private Serializer serializerFor(Class<?> type) {
        return com.google.protobuf.Message.class.isAssignableFrom(type) ? protobuf : serializer;
    }
}
