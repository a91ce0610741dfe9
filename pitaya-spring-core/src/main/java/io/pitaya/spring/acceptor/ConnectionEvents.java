package io.pitaya.spring.acceptor;

import org.jspecify.annotations.Nullable;

/**
 * What the acceptors report for metrics: connections refused at the cap, messages over the rate limit,
 * refused handshakes, slow readers closed and limits hit.
 */
public interface ConnectionEvents {

    /** Handshake refused: its packet was over {@code pitaya.handshake.max-size}. */
    String HANDSHAKE_TOO_LARGE = "too-large";
    /** Handshake refused: not JSON, or outside the allowed shape (depth, entries). */
    String HANDSHAKE_INVALID = "invalid";
    /** Handshake refused by a {@code HandshakeValidator}. */
    String HANDSHAKE_VALIDATOR = "validator";
    /** Handshake and HandshakeAck not completed within {@code pitaya.handshake.timeout}. */
    String HANDSHAKE_TIMEOUT = "timeout";

    /** Slow reader closed: its unsent bytes passed {@code pitaya.acceptor.outbound-buffer-limit}. */
    String SLOW_READER_BUFFER = "buffer";
    /** Slow reader closed: no write progress within {@code pitaya.acceptor.send-time-limit}. */
    String SLOW_READER_STALLED = "stalled";

    /** A packet header announced more than {@code pitaya.acceptor.max-packet-size}. */
    String LIMIT_PACKET_SIZE = "packet-size";
    /** A zlib body inflated beyond {@code pitaya.acceptor.max-inflated-size}. */
    String LIMIT_INFLATED_SIZE = "inflated-size";
    /** A session's inbound queue filled (count or bytes): reading paused until it drains. */
    String LIMIT_INBOUND_QUEUE = "inbound-queue";

    /** Reports nothing. */
    ConnectionEvents NONE = new ConnectionEvents() {
    };

    /** @param acceptor the acceptor at its connection cap */
    default void connectionRefused(String acceptor) {
    }

    /**
     * @param acceptor the acceptor of the connection
     * @param route the route of the message dropped or closed on, {@code null} when not decoded
     */
    default void rateLimited(String acceptor, @Nullable String route) {
    }

    /**
     * @param acceptor the acceptor of the connection
     * @param reason one of the {@code HANDSHAKE_*} reasons
     */
    default void handshakeRefused(String acceptor, String reason) {
    }

    /**
     * @param acceptor the acceptor of the connection
     * @param reason {@link #SLOW_READER_BUFFER} or {@link #SLOW_READER_STALLED}
     */
    default void slowReaderClosed(String acceptor, String reason) {
    }

    /**
     * @param acceptor the acceptor of the connection
     * @param reason why it closed: a {@link io.pitaya.spring.session.CloseReason} kind
     */
    default void connectionClosed(String acceptor, String reason) {
    }

    /**
     * @param acceptor the acceptor of the connection
     * @param limit one of the {@code LIMIT_*} names
     */
    default void limitExceeded(String acceptor, String limit) {
    }
}
