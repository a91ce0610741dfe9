package io.pitaya.spring.internal.acceptor;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import io.pitaya.protocol.HandshakeRequest;
import io.pitaya.protocol.LimitExceededException;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.MessageType;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.spring.acceptor.ConnectionEvents;
import io.pitaya.spring.internal.dispatch.SessionMailbox;
import io.pitaya.spring.internal.session.LocalSession;
import io.pitaya.spring.internal.session.Transport;
import io.pitaya.spring.session.CloseReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The protocol state of one client connection, whatever the transport: Handshake, HandshakeAck,
 * then Data and Heartbeats. Every protocol violation closes this connection only.
 *
 * <p>Two threads own its parts. The transport's reading thread checks only what costs nothing: the
 * order of packet types, the packet size limit (small until the HandshakeAck arrives) and the rate
 * limit. Everything that costs, or runs application code, goes through the session's mailbox, in
 * arrival order, on the handler executor: parsing the handshake JSON and the {@code HandshakeValidator}s,
 * opening the session, inflating and decoding messages, the handlers. So a validator that asks a
 * database, or a zlib bomb, stalls no other connection of the same event loop. One exception, on a
 * cluster frontend: an uncompressed message of an idle session for another server type is decoded and
 * forwarded by the reading thread, when that waits for nothing and runs no application code (see
 * {@link io.pitaya.spring.internal.dispatch.Dispatcher#forwardWithoutBlocking}).
 */
public final class ClientConnection {

    /** What the server has done with the connection (the mailbox moves it on). */
    enum State { AWAITING_HANDSHAKE, AWAITING_ACK, WORKING, CLOSED }

    /** What the client has sent so far (the reading thread moves it on). */
    private enum Arrived { NOTHING, HANDSHAKE, ACK }

    private static final Log logger = LogFactory.getLog(ClientConnection.class);

    private final ConnectionManager manager;
    private final Transport transport;
    private final LocalSession session;
    private final SessionMailbox mailbox;
    private final String acceptor;
    private final long openedNanos;
    private final RateLimiter rateLimiter;
    private final ConnectionLimits limits;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Whether messages for other server types may be forwarded by the reading thread (a cluster frontend). */
    private final boolean forwardsHere;
    private volatile State state = State.AWAITING_HANDSHAKE;
    private volatile Arrived arrived = Arrived.NOTHING;
    private volatile long lastSeenNanos;
    private volatile long lastHeartbeatSentNanos;
    // Mailbox-only: the handshake accepted, and whether the session was opened with it.
    private HandshakeRequest handshake;
    private boolean opened;
    // Write progress, seen by the heartbeat sweep only.
    private long lastWritten;
    private long lastProgressNanos;

    ClientConnection(ConnectionManager manager, Transport transport, LocalSession session, SessionMailbox mailbox, String acceptor,
                     ConnectionLimits limits) {
        this.manager = manager;
        this.limits = limits;
        this.rateLimiter = limits.newRateLimiter();
        this.transport = transport;
        this.session = session;
        this.mailbox = mailbox;
        this.acceptor = acceptor;
        this.openedNanos = System.nanoTime();
        this.lastSeenNanos = openedNanos;
        this.lastHeartbeatSentNanos = openedNanos;
        this.lastProgressNanos = openedNanos;
        this.forwardsHere = manager.forwardsWithoutBlocking();
    }

    /** @return the session of this connection */
    public LocalSession session() {
        return session;
    }

    /** @return the acceptor that took this connection */
    public String acceptor() {
        return acceptor;
    }

    /**
     * The largest packet body the transport may accept now: the handshake limit until the client's
     * HandshakeAck has arrived, the packet limit after it. Transports check it on each packet header.
     * @return the limit in bytes
     */
    public int maxBodyLength() {
        return arrived == Arrived.ACK ? limits.maxPacketSize() : limits.handshakeMaxSize();
    }

    /** Stops reading from the client (server stopping). */
    void stopReading() {
        transport.pauseReading();
    }

    /** @return messages of this session queued or running */
    int pendingMessages() {
        return mailbox.pending();
    }

    /**
     * Handles one packet from the client, on the transport's reading thread.
     * @param packet the packet
     */
    public void onPacket(Packet packet) {
        lastSeenNanos = System.nanoTime();
        switch (packet.type()) {
            case HANDSHAKE -> onHandshake(packet.body());
            case HANDSHAKE_ACK -> onHandshakeAck();
            case HEARTBEAT -> { }
            case DATA -> onData(packet.body());
            case KICK -> close(CloseReason.CLIENT, "client sent a Kick packet");
        }
    }

    /**
     * The bytes from the client do not follow the wire format, or exceed a limit.
     * @param error what is wrong
     */
    public void onProtocolError(Exception error) {
        if (error instanceof LimitExceededException) {
            boolean handshaking = arrived != Arrived.ACK;
            // Nothing the client sent is worth an answer: closed at once, nothing more is read.
            abort(handshaking ? CloseReason.HANDSHAKE : CloseReason.PROTOCOL_ERROR, (handshaking ? "handshake: " : "") + error.getMessage(), handshaking
                    ? () -> manager.events().handshakeRefused(acceptor, ConnectionEvents.HANDSHAKE_TOO_LARGE)
                    : () -> manager.events().limitExceeded(acceptor, ConnectionEvents.LIMIT_PACKET_SIZE));
            return;
        }
        close(CloseReason.PROTOCOL_ERROR, "protocol error: " + error.getMessage());
    }

    /** The transport is closed, whatever closed it. */
    public void onClosed() {
        State previous = state;
        if (previous == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        manager.closed(this, mailbox);
    }

    /** Runs in the mailbox, after every message that arrived before the close. */
    void closedInOrder() {
        session.closed(opened);
        CloseReason reason = session.closeReason();
        manager.events().connectionClosed(acceptor, reason == null ? CloseReason.CLIENT : reason.kind());
    }

    /**
     * Closes the connection once what was sent before is written.
     * @param kind why, one of {@link CloseReason}'s kinds
     * @param reason logged at debug level
     */
    public void close(String kind, String reason) {
        session.closing(CloseReason.of(kind, reason));
        if (closing.compareAndSet(false, true) && logger.isDebugEnabled()) {
            logger.debug("closing " + acceptor + " connection of session " + session.id() + " from " + transport.remoteAddress() + ": " + reason);
        }
        transport.close();
    }

    /**
     * Closes the socket now, dropping what was not written: for clients that do not read, or that sent
     * nothing worth an answer. Logged once.
     * @param reason logged at info level
     */
    void abort(String kind, String reason) {
        abort(kind, reason, () -> { });
    }

    /** The same, telling {@code first} (metrics) only if this is the first close of the connection. */
    private void abort(String kind, String reason, Runnable first) {
        session.closing(CloseReason.of(kind, reason));
        if (closing.compareAndSet(false, true)) {
            first.run();
            logger.info("closed " + acceptor + " connection of session " + session.id() + " from " + transport.remoteAddress() + ": " + reason);
        }
        transport.abort();
    }

    /**
     * The transport's unsent bytes passed the outbound limit: the client reads slower than the game sends.
     * Closed at once, its pending bytes released, so that it costs no more memory and delays no one.
     * @param pendingBytes the bytes waiting for it
     */
    public void slowReader(long pendingBytes) {
        abort(CloseReason.SLOW_READER, "slow reader: " + pendingBytes + " bytes unsent, over the outbound limit",
                () -> manager.events().slowReaderClosed(acceptor, ConnectionEvents.SLOW_READER_BUFFER));
    }

    /**
     * The client took none of the bytes waiting for it within the send-time limit (seen by this connection's
     * sweep, or by the container's own send timeout): closed at once, its pending bytes released.
     */
    public void stalled() {
        abort(CloseReason.SLOW_READER, "slow reader: " + transport.pendingBytes() + " bytes unread for longer than " + limits.sendTimeLimit(),
                () -> manager.events().slowReaderClosed(acceptor, ConnectionEvents.SLOW_READER_STALLED));
    }

    private void onHandshake(byte[] body) {
        if (arrived != Arrived.NOTHING) {
            close(CloseReason.HANDSHAKE, "second Handshake");
            return;
        }
        arrived = Arrived.HANDSHAKE;
        mailbox.submit(() -> {
            acceptHandshake(body);
            return null;
        }, body.length);
    }

    private void acceptHandshake(byte[] body) {
        if (state != State.AWAITING_HANDSHAKE) {
            return;
        }
        HandshakeRequest request;
        try {
            request = manager.acceptHandshake(body, transport.remoteAddress());
        } catch (ProtocolException | RuntimeException e) {
            manager.events().handshakeRefused(acceptor, e instanceof ProtocolException
                    ? ConnectionEvents.HANDSHAKE_INVALID : ConnectionEvents.HANDSHAKE_VALIDATOR);
            logger.info("handshake refused for " + transport.remoteAddress() + ": " + e.getMessage());
            transport.send(manager.handshakeRefusal());
            close(CloseReason.HANDSHAKE, "handshake refused");
            return;
        }
        handshake = request;
        state = State.AWAITING_ACK;
        transport.send(manager.handshakeAnswer());
        lastHeartbeatSentNanos = System.nanoTime();
    }

    private void onHandshakeAck() {
        if (arrived != Arrived.HANDSHAKE) {
            close(CloseReason.HANDSHAKE, "HandshakeAck without a Handshake");
            return;
        }
        arrived = Arrived.ACK;
        mailbox.submit(() -> {
            if (state == State.AWAITING_ACK) {
                session.opened(handshake);
                opened = true;
                state = State.WORKING;
            }
            return null;
        });
    }

    private void onData(byte[] body) {
        if (arrived != Arrived.ACK) {
            close(CloseReason.HANDSHAKE, "Data before HandshakeAck");
            return;
        }
        // Before any decoding: a flood over the rate costs the server no inflation.
        if (rateLimiter != null && !rateLimiter.tryAcquire()) {
            manager.rateLimited(this);
            return;
        }
        Incoming message = new Incoming(body, System.nanoTime());
        if (forwardsHere && !MessageCodec.isCompressed(body)) {
            // A cluster frontend: a message for another server type, of an idle session, is forwarded from this
            // thread when that waits for nothing and runs no application code; anything else goes as usual.
            mailbox.runNowOrSubmit(message, message, body.length);
            return;
        }
        mailbox.submit(message, body.length);
    }

    /**
     * One Data message on its way, decoded once: on the reading thread when it tries to forward it from there, else on
     * a handler thread. Messages that arrived before the client closed still run (a last notify is not lost); none runs
     * before the session is open, nor once the server closes the connection (kick, bad input, refused handshake).
     */
    private final class Incoming implements SessionMailbox.Task, SessionMailbox.Attempt {
        final byte[] body;
        final long arrivedNanos;
        /** Set by the reading thread's attempt; seen by the handler thread through the mailbox's queue. */
        @Nullable Message decoded;

        Incoming(byte[] body, long arrivedNanos) {
            this.body = body;
            this.arrivedNanos = arrivedNanos;
        }

        @Override
        public @Nullable CompletionStage<?> run() {
            return opened && !closing.get() ? handle(this) : null;
        }

        /** @return null when not forwarded here (it then runs as {@link #run} on a handler thread) */
        @Override
        public @Nullable CompletionStage<?> tryRun() {
            if (!opened || closing.get()) {
                return null;
            }
            try {
                decoded = manager.decode(body);
            } catch (ProtocolException e) {
                return null; // refused by handle(), with the reason
            }
            return fromClient(decoded.type()) ? manager.forwardWithoutBlocking(session, decoded, arrivedNanos) : null;
        }
    }

    private static boolean fromClient(MessageType type) {
        return type == MessageType.REQUEST || type == MessageType.NOTIFY;
    }

    private @Nullable CompletionStage<?> handle(Incoming incoming) {
        Message message = incoming.decoded;
        if (message == null) {
            try {
                message = manager.decode(incoming.body);
            } catch (LimitExceededException e) {
                abort(CloseReason.PROTOCOL_ERROR, "message refused: " + e.getMessage(), () -> manager.events().limitExceeded(acceptor, ConnectionEvents.LIMIT_INFLATED_SIZE));
                return null;
            } catch (ProtocolException e) {
                close(CloseReason.PROTOCOL_ERROR, "malformed message: " + e.getMessage());
                return null;
            }
        }
        if (!fromClient(message.type())) {
            close(CloseReason.PROTOCOL_ERROR, "client sent a " + message.type());
            return null;
        }
        return manager.handle(session, message, incoming.arrivedNanos);
    }

    /**
     * Called by the manager's timer: sends a heartbeat when due, closes on handshake or heartbeat timeout,
     * aborts a client that leaves bytes unread for longer than the send-time limit.
     * @param now {@link System#nanoTime()}
     * @param heartbeatNanos heartbeat interval
     * @param handshakeTimeoutNanos handshake timeout
     * @param heartbeat the Heartbeat packet
     */
    void tick(long now, long heartbeatNanos, long handshakeTimeoutNanos, byte[] heartbeat) {
        State current = state;
        if (current == State.CLOSED) {
            return;
        }
        if (stalled(now)) {
            stalled();
            return;
        }
        if (current != State.WORKING) {
            if (now - openedNanos >= handshakeTimeoutNanos) {
                abort(CloseReason.HANDSHAKE, "handshake not completed in time",
                        () -> manager.events().handshakeRefused(acceptor, ConnectionEvents.HANDSHAKE_TIMEOUT));
            }
            return;
        }
        if (mailbox.isPaused()) {
            // The server stopped reading this client (its messages wait): silence is ours, not the client's.
            lastSeenNanos = now;
        } else if (now - lastSeenNanos >= 2 * heartbeatNanos) {
            abort(CloseReason.HEARTBEAT_TIMEOUT, "no packet for twice the heartbeat interval");
            return;
        }
        if (now - lastHeartbeatSentNanos >= heartbeatNanos) {
            lastHeartbeatSentNanos = now;
            transport.send(heartbeat);
        }
    }

    /** @return true when bytes wait for the client and none was written within the send-time limit */
    private boolean stalled(long now) {
        long written = transport.writtenBytes();
        if (written != lastWritten || transport.pendingBytes() == 0) {
            lastWritten = written;
            lastProgressNanos = now;
            return false;
        }
        return now - lastProgressNanos >= limits.sendTimeLimit().toNanos();
    }
}
