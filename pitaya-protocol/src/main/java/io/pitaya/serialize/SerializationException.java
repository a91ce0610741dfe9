package io.pitaya.serialize;

/** A payload that a serializer cannot encode or decode. */
public class SerializationException extends RuntimeException {

    /**
     * @param message what failed
     * @param cause the underlying failure, may be null
     */
    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
