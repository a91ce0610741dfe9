package io.pitaya.protocol;

/**
 * Bytes that do not follow the wire format: a malformed packet, message or handshake.
 *
 * <p>Checked on purpose: every decoder declares it, so a caller decides what a malformed input
 * closes (on the server, only the connection it came from).
 */
public class ProtocolException extends Exception {

    /** @param message what is wrong with the input */
    public ProtocolException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong with the input
     * @param cause the underlying failure
     */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
