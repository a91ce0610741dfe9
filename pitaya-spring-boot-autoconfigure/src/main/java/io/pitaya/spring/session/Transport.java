package io.pitaya.spring.session;

/**
 * The socket under a session, as an acceptor (TCP or WebSocket) provides it. Thread-safe.
 */
public interface Transport {

    /**
     * Queues one encoded packet for the client without blocking. A client that falls behind its
     * outbound buffer limit is closed by the transport.
     * @param packet header and body
     */
    void send(byte[] packet);

    /** @return false once the connection is closed or closing */
    boolean isOpen();

    /** Closes the connection once what was sent before is flushed. */
    void close();

    /** Stops reading from the client (inbound backpressure). */
    void pauseReading();

    /** Reads from the client again. */
    void resumeReading();

    /** @return the client's address */
    String remoteAddress();
}
