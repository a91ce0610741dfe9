package io.pitaya.spring.acceptor;

import io.pitaya.protocol.HandshakeRequest;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageType;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.spring.dispatch.SessionMailbox;
import io.pitaya.spring.session.LocalSession;
import io.pitaya.spring.session.Transport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The protocol state of one client connection, whatever the transport: Handshake, HandshakeAck,
 * then Data and Heartbeats. Packets arrive in order from the transport's reading thread.
 * Every protocol violation closes this connection only.
 */
public final class ClientConnection {

    enum State { AWAITING_HANDSHAKE, AWAITING_ACK, WORKING, CLOSED }

    private static final Log logger = LogFactory.getLog(ClientConnection.class);

    private final ConnectionManager manager;
    private final Transport transport;
    private final LocalSession session;
    private final SessionMailbox mailbox;
    private final String acceptor;
    private final long openedNanos;
    private final RateLimiter rateLimiter;
    private volatile State state = State.AWAITING_HANDSHAKE;
    private volatile long lastSeenNanos;
    private volatile long lastHeartbeatSentNanos;
    private HandshakeRequest handshake;

    ClientConnection(ConnectionManager manager, Transport transport, LocalSession session, SessionMailbox mailbox, String acceptor,
                     RateLimiter rateLimiter) {
        this.manager = manager;
        this.rateLimiter = rateLimiter;
        this.transport = transport;
        this.session = session;
        this.mailbox = mailbox;
        this.acceptor = acceptor;
        this.openedNanos = System.nanoTime();
        this.lastSeenNanos = openedNanos;
        this.lastHeartbeatSentNanos = openedNanos;
    }

    /** @return the session of this connection */
    public LocalSession session() {
        return session;
    }

    /** @return the acceptor that took this connection */
    public String acceptor() {
        return acceptor;
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
     * Handles one packet from the client.
     * @param packet the packet
     */
    public void onPacket(Packet packet) {
        lastSeenNanos = System.nanoTime();
        switch (packet.type()) {
            case HANDSHAKE -> onHandshake(packet.body());
            case HANDSHAKE_ACK -> onHandshakeAck();
            case HEARTBEAT -> { }
            case DATA -> onData(packet.body());
            case KICK -> close("client sent a Kick packet");
        }
    }

    /**
     * The bytes from the client do not follow the wire format.
     * @param error what is wrong
     */
    public void onProtocolError(Exception error) {
        close("protocol error: " + error.getMessage());
    }

    /** The transport is closed, whatever closed it. */
    public void onClosed() {
        State previous = state;
        if (previous == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        manager.closed(this, previous == State.WORKING, mailbox);
    }

    /**
     * Closes the connection.
     * @param reason logged at debug level
     */
    public void close(String reason) {
        if (state != State.CLOSED && logger.isDebugEnabled()) {
            logger.debug("closing " + acceptor + " connection of session " + session.id() + " from " + transport.remoteAddress() + ": " + reason);
        }
        transport.close();
    }

    private void onHandshake(byte[] body) {
        if (state != State.AWAITING_HANDSHAKE) {
            close("second Handshake");
            return;
        }
        try {
            handshake = manager.acceptHandshake(body, transport.remoteAddress());
        } catch (ProtocolException | RuntimeException e) {
            logger.info("handshake refused for " + transport.remoteAddress() + ": " + e.getMessage());
            transport.send(manager.handshakeRefusal());
            transport.close();
            return;
        }
        state = State.AWAITING_ACK;
        transport.send(manager.handshakeAnswer());
        lastHeartbeatSentNanos = System.nanoTime();
    }

    private void onHandshakeAck() {
        if (state != State.AWAITING_ACK) {
            close("HandshakeAck without a Handshake");
            return;
        }
        session.opened(handshake);
        state = State.WORKING;
    }

    private void onData(byte[] body) {
        if (state != State.WORKING) {
            close("Data before HandshakeAck");
            return;
        }
        Message message;
        try {
            message = manager.decode(body);
        } catch (ProtocolException e) {
            close("malformed message: " + e.getMessage());
            return;
        }
        if (message.type() != MessageType.REQUEST && message.type() != MessageType.NOTIFY) {
            close("client sent a " + message.type());
            return;
        }
        if (rateLimiter != null && !rateLimiter.tryAcquire()) {
            manager.rateLimited(this, message);
            return;
        }
        manager.dispatch(session, mailbox, message);
    }

    /**
     * Called by the manager's timer: sends a heartbeat when due, closes on handshake or heartbeat timeout.
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
        if (current != State.WORKING) {
            if (now - openedNanos >= handshakeTimeoutNanos) {
                close("handshake not completed in time");
            }
            return;
        }
        if (now - lastSeenNanos >= 2 * heartbeatNanos) {
            close("no packet for twice the heartbeat interval");
            return;
        }
        if (now - lastHeartbeatSentNanos >= heartbeatNanos) {
            lastHeartbeatSentNanos = now;
            transport.send(heartbeat);
        }
    }
}
