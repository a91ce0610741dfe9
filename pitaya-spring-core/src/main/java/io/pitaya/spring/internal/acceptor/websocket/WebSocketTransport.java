package io.pitaya.spring.internal.acceptor.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import io.pitaya.spring.internal.session.Transport;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

/**
 * A Spring WebSocket session as a session's transport, written with the container's asynchronous send
 * (JSR-356 {@code RemoteEndpoint.Async}): one packet per binary message, one message in flight at a time,
 * the next sent from the completion of the previous. No caller ever waits for the client, whatever thread
 * it is (a handler of another session, a broadcast, the heartbeat sweep, a Kafka consumer).
 *
 * <p>A close runs after every packet queued before it (a Kick reaches the client first). Packets past the
 * outbound limit abort the connection: the socket closes at once and the queue is released.
 */
final class WebSocketTransport implements Transport, SendHandler {

    private static final Log logger = LogFactory.getLog(WebSocketTransport.class);
    private static final boolean TOMCAT = ClassUtils.isPresent("org.apache.tomcat.websocket.WsSession",
            WebSocketTransport.class.getClassLoader());
    /** Tomcat: longest wait of a blocking send (its close frame, a pong). */
    static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    /** Tomcat: longest wait for the close frame of an abnormal close. */
    static final String TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT = "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";
    /** A close frame that the client's socket cannot take within this is not worth waiting for. */
    private static final long CLOSE_FRAME_WAIT_MILLIS = 20;

    // Phases of one asynchronous send, so that a completion that runs inside sendBinary (some containers
    // complete at once on the calling thread) continues the loop there instead of recursing.
    private static final int IN_CALL = 0;
    private static final int RETURNED = 1;
    private static final int COMPLETED_IN_CALL = 2;

    private final WebSocketSession session;
    private final RemoteEndpoint.Async remote;
    private final Map<String, Object> containerProperties;
    private final long bufferLimit;
    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final AtomicInteger phase = new AtomicInteger(RETURNED);
    private volatile boolean closeRequested;
    private volatile LongConsumer onOverLimit = pendingBytes -> { };
    private volatile Runnable onSendTimeout = () -> { };
    private volatile int inFlight;

    /**
     * @param session the Spring session; a JSR-356 one ({@link StandardWebSocketSession}) is written asynchronously
     * @param bufferLimit unsent bytes past which the client is aborted
     * @param sendTimeLimitMillis the container's own limit for one asynchronous send
     */
    WebSocketTransport(WebSocketSession session, long bufferLimit, long sendTimeLimitMillis) {
        this.session = session;
        this.bufferLimit = bufferLimit;
        jakarta.websocket.Session nativeSession = session instanceof StandardWebSocketSession standard
                ? standard.getNativeSession(jakarta.websocket.Session.class) : null;
        if (nativeSession == null) {
            throw new IllegalStateException("pitaya's WebSocket acceptor needs a JSR-356 WebSocket container "
                    + "(Tomcat, Jetty or Undertow through Spring's standard adapter); got " + session.getClass().getName());
        }
        this.remote = nativeSession.getAsyncRemote();
        this.remote.setSendTimeout(sendTimeLimitMillis);
        this.containerProperties = nativeSession.getUserProperties();
        // Tomcat sends close frames (and pongs) with a blocking write: bound it for this session, so that a close
        // never holds the closing thread on a client that does not read. Other containers ignore these keys.
        containerProperties.put(TOMCAT_BLOCKING_SEND_TIMEOUT, sendTimeLimitMillis);
        containerProperties.put(TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT, 1L);
    }

    /** @param listener told once when unsent bytes pass the limit, with their count, before the abort */
    /** @param listener told when the container's send timeout gave up on a message: the client does not read */
    void onSendTimeout(Runnable listener) {
        this.onSendTimeout = listener;
    }

    void onOverLimit(LongConsumer listener) {
        this.onOverLimit = listener;
    }

    @Override
    public void send(byte[] packet) {
        if (closeRequested) {
            return;
        }
        long queued = pending.addAndGet(packet.length);
        if (queued > bufferLimit) {
            onOverLimit.accept(queued);
            abort();
            return;
        }
        queue.add(packet);
        if (sending.compareAndSet(false, true)) {
            drain();
        }
    }

    @Override
    public boolean isOpen() {
        return !closeRequested && session.isOpen();
    }

    @Override
    public void close() {
        closeRequested = true;
        if (sending.compareAndSet(false, true)) {
            drain();
        }
    }

    @Override
    public void abort() {
        if (!aborted.compareAndSet(false, true)) {
            return;
        }
        closeRequested = true;
        queue.clear();
        pending.set(0);
        closeSession(CloseStatus.POLICY_VIOLATION);
    }

    /** Sends queued packets while this thread owns {@link #sending}; returns once a send is in flight or nothing is left. */
    private void drain() {
        for (;;) {
            if (aborted.get()) {
                return;
            }
            byte[] packet = queue.poll();
            if (packet == null) {
                if (closeRequested) {
                    // Everything queued before the close is written: close now, keeping 'sending' for good.
                    closeSession(CloseStatus.NORMAL);
                    return;
                }
                sending.set(false);
                // A packet (or a close) that came after the poll, while 'sending' was still ours: take it too.
                if ((queue.isEmpty() && !closeRequested) || !sending.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            inFlight = packet.length;
            phase.set(IN_CALL);
            try {
                remote.sendBinary(ByteBuffer.wrap(packet), this);
            } catch (RuntimeException e) {
                logger.debug("WebSocket " + session.getId() + " failed to send: " + e.getMessage());
                abort();
                return;
            }
            if (phase.compareAndSet(IN_CALL, RETURNED)) {
                return; // the completion continues the loop
            }
        }
    }

    private static boolean timedOut(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.SocketTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onResult(SendResult result) {
        if (aborted.get()) {
            return;
        }
        if (!result.isOK()) {
            if (logger.isDebugEnabled()) {
                logger.debug("WebSocket " + session.getId() + " failed to send: " + result.getException());
            }
            if (timedOut(result.getException())) {
                // The container's send timeout (the send-time limit) can see a stalled reader before the sweep does:
                // the same close, counted and logged as one.
                onSendTimeout.run();
            }
            abort();
            return;
        }
        written.addAndGet(inFlight);
        pending.addAndGet(-inFlight);
        if (!phase.compareAndSet(IN_CALL, COMPLETED_IN_CALL)) {
            drain();
        }
    }

    /**
     * Sends the close frame if the client's socket takes it at once, then closes the socket without waiting
     * for the client's answering close frame: a client that does not read would never send one, and would
     * hold its socket (Tomcat waits for the answer otherwise).
     */
    private void closeSession(CloseStatus status) {
        containerProperties.put(TOMCAT_BLOCKING_SEND_TIMEOUT, CLOSE_FRAME_WAIT_MILLIS);
        try {
            if (!TOMCAT || !TomcatWebSockets.closeNow(session, status)) {
                session.close(status);
            }
        } catch (IOException | RuntimeException e) {
            logger.debug("closing WebSocket " + session.getId() + " failed: " + e.getMessage());
        }
    }

    @Override
    public void pauseReading() {
        if (TOMCAT) {
            TomcatWebSockets.suspend(session);
        }
    }

    @Override
    public void resumeReading() {
        if (TOMCAT) {
            TomcatWebSockets.resume(session);
        }
    }

    @Override
    public String remoteAddress() {
        InetSocketAddress address = session.getRemoteAddress();
        return address == null ? "unknown" : address.toString();
    }

    @Override
    public long pendingBytes() {
        return pending.get();
    }

    @Override
    public long writtenBytes() {
        return written.get();
    }
}
