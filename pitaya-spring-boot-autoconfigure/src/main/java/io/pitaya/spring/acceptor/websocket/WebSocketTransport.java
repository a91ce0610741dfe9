package io.pitaya.spring.acceptor.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.pitaya.spring.session.Transport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * A Spring WebSocket session as a session's transport. One thread at a time sends; others queue
 * their packets and return, so no caller blocks behind a slow client. A close runs after every packet
 * queued before it (a Kick reaches the client before the close). A client whose queue passes the
 * buffer limit, or whose current send takes longer than the time limit, is closed.
 */
final class WebSocketTransport implements Transport {

    private static final Log logger = LogFactory.getLog(WebSocketTransport.class);
    private static final boolean TOMCAT = ClassUtils.isPresent("org.apache.tomcat.websocket.WsSession",
            WebSocketTransport.class.getClassLoader());

    private final WebSocketSession session;
    private final long bufferLimit;
    private final long sendTimeLimitNanos;
    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ReentrantLock sending = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean closeRequested;
    private volatile long sendStartedNanos;

    WebSocketTransport(WebSocketSession session, long bufferLimit, long sendTimeLimitMillis) {
        this.session = session;
        this.bufferLimit = bufferLimit;
        this.sendTimeLimitNanos = sendTimeLimitMillis * 1_000_000L;
    }

    @Override
    public void send(byte[] packet) {
        if (closeRequested) {
            return;
        }
        queue.add(packet);
        queuedBytes.addAndGet(packet.length);
        flush();
    }

    @Override
    public boolean isOpen() {
        return !closeRequested && session.isOpen();
    }

    @Override
    public void close() {
        closeRequested = true;
        flush();
    }

    private void flush() {
        while (!closed.get()) {
            if (!sending.tryLock()) {
                // Another thread is sending and will take what was queued; just watch the limits.
                checkLimits();
                return;
            }
            try {
                byte[] packet;
                while ((packet = queue.poll()) != null) {
                    queuedBytes.addAndGet(-packet.length);
                    sendStartedNanos = System.nanoTime();
                    try {
                        session.sendMessage(new BinaryMessage(packet));
                    } catch (IOException | RuntimeException e) {
                        logger.debug("WebSocket " + session.getId() + " failed to send: " + e.getMessage());
                        closeNow(CloseStatus.SESSION_NOT_RELIABLE);
                        return;
                    } finally {
                        sendStartedNanos = 0;
                    }
                }
                if (closeRequested) {
                    closeNow(CloseStatus.NORMAL);
                    return;
                }
            } finally {
                sending.unlock();
            }
            // Packets queued or a close asked for after the loop, before the unlock: take them too.
            if (queue.isEmpty() && !closeRequested) {
                return;
            }
        }
    }

    private void checkLimits() {
        long started = sendStartedNanos;
        if (queuedBytes.get() > bufferLimit) {
            logger.debug("closing WebSocket " + session.getId() + ": slow reader, " + queuedBytes.get() + " bytes queued");
            closeNow(CloseStatus.SESSION_NOT_RELIABLE);
        } else if (started != 0 && System.nanoTime() - started > sendTimeLimitNanos) {
            logger.debug("closing WebSocket " + session.getId() + ": a send exceeded the time limit");
            closeNow(CloseStatus.SESSION_NOT_RELIABLE);
        }
    }

    private void closeNow(CloseStatus status) {
        if (closed.compareAndSet(false, true)) {
            closeRequested = true;
            queue.clear();
            try {
                session.close(status);
            } catch (IOException | RuntimeException e) {
                logger.debug("closing WebSocket " + session.getId() + " failed: " + e.getMessage());
            }
        }
    }

    @Override
    public void pauseReading() {
        if (TOMCAT) {
            TomcatSuspension.suspend(session);
        }
    }

    @Override
    public void resumeReading() {
        if (TOMCAT) {
            TomcatSuspension.resume(session);
        }
    }

    @Override
    public String remoteAddress() {
        InetSocketAddress address = session.getRemoteAddress();
        return address == null ? "unknown" : address.toString();
    }
}
