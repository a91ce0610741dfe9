package io.pitaya.spring.internal.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.HandshakeRequest;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.spring.session.CloseReason;
import io.pitaya.spring.session.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A session of a client connected to this server.
 */
public final class LocalSession extends AbstractSession {

    private static final Log logger = LogFactory.getLog(LocalSession.class);
    private static final byte[] KICK = Packet.encode(PacketType.KICK, new byte[0]);

    private final Transport transport;
    private final SessionRegistry registry;
    private final OutboundEncoder encoder;
    private final List<Runnable> closeCallbacks = new ArrayList<>(2);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<CloseReason> closeReason = new AtomicReference<>();
    private volatile java.util.function.Consumer<Runnable> inOrder = task -> {
        throw new IllegalStateException("session " + id() + " has no mailbox yet");
    };
    private volatile HandshakeRequest handshake = HandshakeRequest.of("", "", Map.of());

    /**
     * @param id the session id
     * @param transport the connection
     * @param registry where the session is registered once its handshake is done
     * @param encoder encodes pushes
     */
    public LocalSession(long id, Transport transport, SessionRegistry registry, OutboundEncoder encoder) {
        super(id, null, Map.of());
        this.transport = transport;
        this.registry = registry;
        this.encoder = encoder;
    }

    @Override
    public void bind(String uid) {
        if (closed.get()) {
            // E.g. a backend's bind arriving after the client gave up on the request and left.
            throw new PitayaException(ErrorCodes.NOT_FOUND, "session " + id() + " is closed");
        }
        bind(uid, () -> registry.beforeBind(this, uid));
        registry.bound(this, uid);
    }

    @Override
    public boolean push(String route, Object payload) {
        if (closed.get()) {
            return false;
        }
        return send(encoder.push(route, encoder.body(payload)));
    }

    @Override
    public void kick() {
        kick(CloseReason.of(CloseReason.KICKED, "kicked by the server"));
    }

    @Override
    public void kick(String code, String reason) {
        kick(new CloseReason(CloseReason.KICKED, code == null || code.isEmpty() ? CloseReason.KICKED : code, reason == null ? "" : reason));
    }

    /**
     * Kicks for a reason of any kind: the reason's push first when a kick route is configured, then pitaya's Kick.
     * @param reason why
     */
    public void kick(CloseReason reason) {
        if (!closed.get()) {
            closing(reason);
            SessionRegistry.KickNotice notice = registry.kickNotice(reason);
            if (notice != null) {
                send(encoder.push(notice.route(), encoder.body(notice.payload())));
            }
            transport.send(KICK);
            transport.close();
        }
    }

    @Override
    public void close() {
        closing(CloseReason.of(CloseReason.CLOSED, "closed by the server"));
        transport.close();
    }

    /**
     * Runs a task on the session's mailbox: after the messages that arrived before it, never beside one of the
     * session's handlers (timers, close callbacks).
     * @param task the task
     */
    public void runInOrder(Runnable task) {
        inOrder.accept(task);
    }

    /**
     * @param mailbox how {@link #runInOrder} reaches the session's mailbox (set by the acceptor's connection)
     */
    public void setMailbox(java.util.function.Consumer<Runnable> mailbox) {
        this.inOrder = mailbox;
    }

    /**
     * Records why the session is closing; the first reason given wins.
     * @param reason why
     */
    public void closing(CloseReason reason) {
        closeReason.compareAndSet(null, reason);
    }

    @Override
    public CloseReason closeReason() {
        return closed.get() ? closeReason.get() : null;
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void onClose(Runnable callback) {
        synchronized (closeCallbacks) {
            if (!closed.get()) {
                closeCallbacks.add(callback);
                return;
            }
        }
        runSafely(callback);
    }

    @Override
    public HandshakeRequest handshake() {
        return handshake;
    }

    @Override
    public String remoteAddress() {
        return transport.remoteAddress();
    }

    /**
     * Sends an encoded packet unless the session is closed.
     * @param packet header and body
     * @return false when the session is closed
     */
    public boolean send(byte[] packet) {
        // The connection may be gone before the close reaches this session (it runs after queued messages).
        if (closed.get() || !transport.isOpen()) {
            return false;
        }
        transport.send(packet);
        return true;
    }

    /** @return the connection under this session */
    public Transport transport() {
        return transport;
    }

    /**
     * The handshake was acknowledged: the session is registered and may receive messages.
     * @param request what the client sent in its handshake
     */
    public void opened(HandshakeRequest request) {
        this.handshake = request;
        registry.opened(this);
    }

    /**
     * The connection closed: runs the close callbacks once, then the session listeners.
     * @param registered whether {@link #opened(HandshakeRequest)} had been called
     */
    public void closed(boolean registered) {
        List<Runnable> callbacks;
        // Nobody on this side said why: the client closed it, or the network lost it.
        closing(CloseReason.of(CloseReason.CLIENT, "the client closed the connection"));
        synchronized (closeCallbacks) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            callbacks = List.copyOf(closeCallbacks);
            closeCallbacks.clear();
        }
        callbacks.forEach(this::runSafely);
        if (registered) {
            registry.closed(this);
        }
    }

    private void runSafely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            logger.warn("close callback of session " + id() + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "Session[" + id() + (uid() != null ? ", uid=" + uid() : "") + "]";
    }
}
