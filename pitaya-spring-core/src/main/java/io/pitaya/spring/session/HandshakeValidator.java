package io.pitaya.spring.session;

import io.pitaya.protocol.HandshakeRequest;

/**
 * Checks a client's handshake before the session is accepted. Declare one as a bean; a refusal answers
 * the handshake with code 400 and closes the connection.
 */
@FunctionalInterface
public interface HandshakeValidator {

    /**
     * @param handshake what the client sent
     * @param remoteAddress the client's address
     * @throws io.pitaya.PitayaException (or any exception) to refuse the handshake
     */
    void validate(HandshakeRequest handshake, String remoteAddress);
}
