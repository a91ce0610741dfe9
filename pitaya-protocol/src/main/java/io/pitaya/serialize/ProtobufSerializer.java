package io.pitaya.serialize;

import java.lang.reflect.Type;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.pitaya.PitayaException;
import io.pitaya.protocol.proto.PitayaProto.Error;

/** Protobuf bodies: payloads are generated protobuf messages, errors are pitaya's {@code protos.Error}. */
public final class ProtobufSerializer implements Serializer {

    private static final ConcurrentMap<Class<?>, Message> DEFAULTS = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "protobuf";
    }

    @Override
    public byte[] marshal(Object value) {
        if (value instanceof Message message) {
            return message.toByteArray();
        }
        throw new SerializationException("the protobuf serializer needs a protobuf message, got "
                + (value == null ? "null" : value.getClass().getName()), null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T unmarshal(byte[] data, Type type) {
        if (!(type instanceof Class<?> c) || !Message.class.isAssignableFrom(c)) {
            throw new SerializationException("the protobuf serializer needs a protobuf message type, got " + type.getTypeName(), null);
        }
        try {
            return (T) defaultInstance((Class<? extends Message>) c).getParserForType().parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new SerializationException("invalid protobuf for " + c.getName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] marshalError(PitayaException error) {
        return Error.newBuilder()
                .setCode(error.code())
                .setMsg(error.getMessage() == null ? "" : error.getMessage())
                .putAllMetadata(error.metadata())
                .build()
                .toByteArray();
    }

    @Override
    public PitayaException unmarshalError(byte[] data) {
        try {
            Error error = Error.parseFrom(data);
            return new PitayaException(error.getCode(), error.getMsg(), error.getMetadataMap());
        } catch (InvalidProtocolBufferException e) {
            return new PitayaException(io.pitaya.ErrorCodes.UNKNOWN, "undecodable error payload: " + e.getMessage());
        }
    }

    static Message defaultInstance(Class<? extends Message> type) {
        return DEFAULTS.computeIfAbsent(type, t -> {
            try {
                return (Message) t.getMethod("getDefaultInstance").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new SerializationException("not a generated protobuf message: " + t.getName(), e);
            }
        });
    }
}
