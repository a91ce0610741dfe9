package io.pitaya.spring.internal.acceptor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.protocol.HandshakeRequest;
import io.pitaya.protocol.HandshakeResponse;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.spring.acceptor.ConnectionEvents;
import io.pitaya.spring.internal.dispatch.Dispatcher;
import io.pitaya.spring.internal.dispatch.SessionMailbox;
import io.pitaya.spring.internal.session.LocalSession;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.internal.session.SessionRegistry;
import io.pitaya.spring.internal.session.Transport;
import io.pitaya.spring.internal.support.DaemonScheduler;
import io.pitaya.spring.session.CloseReason;
import io.pitaya.spring.session.HandshakeValidator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Creates and tracks client connections for all acceptors. One timer sweeps every connection to send
 * heartbeats and enforce the handshake and heartbeat timeouts, so idle connections cost no task each.
 */
public class ConnectionManager {

    private static final Log logger = LogFactory.getLog(ConnectionManager.class);
    private static final byte[] HEARTBEAT = Packet.encode(PacketType.HEARTBEAT, new byte[0]);

    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> perAcceptor = new ConcurrentHashMap<>();
    /** What pitaya's clients send, for {@link WarmUp}. */
    private static final byte[] WARM_UP_HANDSHAKE = ("{\"sys\":{\"platform\":\"java\",\"libVersion\":\"0.1.0\","
            + "\"clientBuildNumber\":\"1\",\"clientVersion\":\"1.0\"},\"user\":{}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private final HandshakeCodec handshakeCodec;
    private final List<HandshakeValidator> validators;
    private final SessionRegistry registry;
    private final OutboundEncoder encoder;
    private final MessageCodec inboundCodec;
    private final Dispatcher dispatcher;
    private final long heartbeatNanos;
    private final long handshakeTimeoutNanos;
    private final byte[] handshakeAnswer;
    private final byte[] handshakeRefusal;
    private final ConnectionLimits limits;
    private final Map<String, Integer> maxConnections;
    private final ConnectionEvents events;
    private ScheduledExecutorService timer;

    /**
     * @param handshakeCodec reads client handshakes
     * @param answer the server's handshake answer, the same for every client
     * @param compressHandshake deflate the answer when smaller
     * @param validators may refuse a handshake
     * @param registry sessions by id and uid
     * @param encoder encodes what the server sends
     * @param inboundCodec decodes client messages (dictionary, inflate limit)
     * @param dispatcher runs client messages
     * @param handshakeTimeout how long a client may take to Handshake and HandshakeAck
     * @param limits per-connection limits: packet sizes, send time, rate
     * @param maxConnections the most connections each acceptor (by name) holds at once; absent or 0 for no cap
     * @param events told of refused connections and rate-limited messages (metrics)
     */
    public ConnectionManager(HandshakeCodec handshakeCodec, HandshakeResponse answer, boolean compressHandshake,
                             List<HandshakeValidator> validators, SessionRegistry registry, OutboundEncoder encoder,
                             MessageCodec inboundCodec, Dispatcher dispatcher, Duration handshakeTimeout,
                             ConnectionLimits limits, Map<String, Integer> maxConnections, ConnectionEvents events) {
        this.handshakeCodec = handshakeCodec;
        this.validators = List.copyOf(validators);
        this.registry = registry;
        this.encoder = encoder;
        this.inboundCodec = inboundCodec;
        this.dispatcher = dispatcher;
        this.heartbeatNanos = answer.heartbeat().toNanos();
        this.handshakeTimeoutNanos = handshakeTimeout.toNanos();
        this.handshakeAnswer = Packet.encode(PacketType.HANDSHAKE, handshakeCodec.encodeResponse(answer, compressHandshake));
        this.handshakeRefusal = Packet.encode(PacketType.HANDSHAKE, handshakeCodec.encodeResponse(HandshakeResponse.refused(), false));
        this.limits = limits;
        this.maxConnections = Map.copyOf(maxConnections);
        this.events = events;
        // The first client's handshake would otherwise initialise the JSON reader's classes on a handler thread.
        WarmUp.inBackground("handshake", () -> {
            try {
                handshakeCodec.decodeRequest(WARM_UP_HANDSHAKE);
            } catch (ProtocolException e) {
                throw new IllegalStateException("the warm-up handshake is pitaya's own", e);
            }
        });
    }

    /**
     * A transport connected.
     * @param transport the new connection
     * @param acceptor the acceptor's name
     * @return the connection, to be fed packets; {@code null} when the acceptor is at its cap, in which
     *         case the transport has been closed
     */
    public @Nullable ClientConnection open(Transport transport, String acceptor) {
        AtomicInteger count = perAcceptor.computeIfAbsent(acceptor, a -> new AtomicInteger());
        int cap = maxConnections.getOrDefault(acceptor, 0);
        if (cap > 0 && count.incrementAndGet() > cap) {
            count.decrementAndGet();
            events.connectionRefused(acceptor);
            logger.debug(acceptor + " acceptor at its cap of " + cap + " connections: refusing " + transport.remoteAddress());
            transport.close();
            return null;
        } else if (cap <= 0) {
            count.incrementAndGet();
        }
        LocalSession session = new LocalSession(registry.nextId(), transport, registry, encoder);
        SessionMailbox mailbox = dispatcher.newMailbox(transport, () -> events.limitExceeded(acceptor, ConnectionEvents.LIMIT_INBOUND_QUEUE));
        session.setMailbox(task -> dispatcher.runInOrder(mailbox, task));
        ClientConnection connection = new ClientConnection(this, transport, session, mailbox, acceptor, limits);
        connections.add(connection);
        return connection;
    }

    /** Starts the heartbeat and timeout sweep. */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = DaemonScheduler.create("pitaya-heartbeat");
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(TimeUnit.SECONDS.toNanos(1),
                        Math.min(limits.sendTimeLimit().toNanos(), Math.min(heartbeatNanos, handshakeTimeoutNanos)) / 4));
        timer.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    /**
     * Stops reading from every client, so that no new message arrives while in-flight ones finish.
     */
    public void stopReading() {
        connections.forEach(ClientConnection::stopReading);
    }

    /** @return messages queued or running, over all sessions */
    public int pendingMessages() {
        int pending = 0;
        for (ClientConnection connection : connections) {
            pending += connection.pendingMessages();
        }
        return pending;
    }

    /** Stops the sweep and closes every connection; their close callbacks run. */
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        connections.forEach(c -> c.close(CloseReason.SERVER_STOPPING, "server stopping"));
    }

    /** @return open connections, handshaken or not */
    public int count() {
        return connections.size();
    }

    /**
     * @param acceptor an acceptor name
     * @return its open connections
     */
    public int count(String acceptor) {
        AtomicInteger n = perAcceptor.get(acceptor);
        return n == null ? 0 : n.get();
    }

    HandshakeRequest acceptHandshake(byte[] body, String remoteAddress) throws ProtocolException {
        HandshakeRequest request = handshakeCodec.decodeRequest(body);
        for (HandshakeValidator validator : validators) {
            validator.validate(request, remoteAddress);
        }
        return request;
    }

    byte[] handshakeAnswer() {
        return handshakeAnswer;
    }

    byte[] handshakeRefusal() {
        return handshakeRefusal;
    }

    Message decode(byte[] body) throws ProtocolException {
        return inboundCodec.decode(body);
    }

    CompletionStage<?> handle(LocalSession session, Message message, long arrivedNanos) {
        return dispatcher.handle(session, message, arrivedNanos);
    }

    @Nullable CompletionStage<?> forwardWithoutBlocking(LocalSession session, Message message, long arrivedNanos) {
        return dispatcher.forwardWithoutBlocking(session, message, arrivedNanos);
    }

    /** @return true when messages for other server types may be forwarded from the connections' own threads */
    boolean forwardsWithoutBlocking() {
        return dispatcher.forwardsWithoutBlocking();
    }

    /** @return where refused connections, slow readers and limits are reported */
    public ConnectionEvents events() {
        return events;
    }

    /** @return how long a client may take from connecting to its HandshakeAck */
    public Duration handshakeTimeout() {
        return Duration.ofNanos(handshakeTimeoutNanos);
    }

    /** @return the per-connection limits */
    public ConnectionLimits limits() {
        return limits;
    }

    void rateLimited(ClientConnection connection) {
        // Counted before the message is decoded, so its route is not known.
        events.rateLimited(connection.acceptor(), null);
        if (limits.closeWhenRateExceeded()) {
            connection.close(CloseReason.RATE_LIMIT, "rate limit exceeded");
        } else if (logger.isDebugEnabled()) {
            logger.debug("rate limit exceeded by session " + connection.session().id() + ": dropped a message");
        }
    }

    void closed(ClientConnection connection, SessionMailbox mailbox) {
        if (connections.remove(connection)) {
            perAcceptor.get(connection.acceptor()).decrementAndGet();
        }
        // Close callbacks run after the messages already queued for the session, never beside them.
        dispatcher.runInOrder(mailbox, connection::closedInOrder);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (ClientConnection connection : connections) {
            try {
                connection.tick(now, heartbeatNanos, handshakeTimeoutNanos, HEARTBEAT);
            } catch (RuntimeException e) {
                logger.warn("heartbeat sweep failed for session " + connection.session().id(), e);
            }
        }
    }
}
