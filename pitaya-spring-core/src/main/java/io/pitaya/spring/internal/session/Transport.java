package io.pitaya.spring.internal.session;

import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

/**
 * The socket under a session, as an acceptor (TCP or WebSocket) provides it. Thread-safe.
 *
 * <p>No method blocks: every session has its own outbound queue, written to the socket as fast as the
 * client reads. A client whose unsent bytes pass the outbound limit is aborted by the transport; one that
 * makes no write progress within the send-time limit is aborted by the heartbeat sweep, which watches
 * {@link #pendingBytes()} and {@link #writtenBytes()}.
 */
public interface Transport {

    /**
     * Queues one encoded packet for the client without blocking. A client that falls behind its
     * outbound buffer limit is aborted by the transport.
     * @param packet header and body
     */
    void send(byte[] packet);

    /** @return false once the connection is closed or closing */
    boolean isOpen();

    /** Closes the connection once what was sent before is written (a Kick reaches the client first). */
    void close();

    /**
     * Closes the socket now: pending packets are dropped and their memory released. For peers that do not
     * read (slow readers, dead or silent clients), where a close queued behind the stuck bytes would never
     * happen. Idempotent.
     */
    void abort();

    /** Stops reading from the client (inbound backpressure). */
    void pauseReading();

    /** Reads from the client again. */
    void resumeReading();

    /** @return the client's address */
    String remoteAddress();

    /** @return bytes accepted by {@link #send} and not yet written to the socket */
    long pendingBytes();

    /** @return bytes written to the socket since the connection opened; grows while the client reads */
    long writtenBytes();

    /**
     * @return the thread that reads this connection, as an executor (a Netty channel's event loop), or {@code null}
     *         when it has none of its own that takes tasks (a servlet container's pool). Only work that never blocks
     *         and runs no application code may be handed to it.
     */
    default @Nullable Executor readingThread() {
        return null;
    }
}
