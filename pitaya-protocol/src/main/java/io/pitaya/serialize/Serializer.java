package io.pitaya.serialize;

import java.lang.reflect.Type;

import io.pitaya.PitayaException;

/**
 * Turns payloads into message bodies and back. The server announces the serializer's {@link #name()}
 * in the handshake, so clients know how bodies are encoded.
 *
 * <p>{@code byte[]} payloads are raw: callers pass them through without calling a serializer.
 * Implementations are thread-safe.
 */
public interface Serializer {

    /** @return the name announced in the handshake, e.g. {@code json} or {@code protobuf} */
    String name();

    /**
     * @param value the payload
     * @return its bytes
     * @throws SerializationException when the value cannot be encoded by this serializer
     */
    byte[] marshal(Object value);

    /**
     * @param data the bytes
     * @param type the type wanted
     * @param <T> the type wanted
     * @return the payload
     * @throws SerializationException when the bytes do not decode to the type
     */
    <T> T unmarshal(byte[] data, Type type);

    /**
     * Encodes pitaya's {@code Error{code, msg, metadata}}, the body of an error response.
     * @param error the error
     * @return the Error payload
     */
    byte[] marshalError(PitayaException error);

    /**
     * Decodes an error response's body.
     * @param data the Error payload
     * @return the error it carries
     */
    PitayaException unmarshalError(byte[] data);
}
