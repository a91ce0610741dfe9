package io.pitaya.spring.acceptor.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

import io.pitaya.spring.session.Transport;

/**
 * A Spring WebSocket session as a session's transport. Sends go through a
 * {@link org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator} that closes a
 * client falling behind its buffer or send-time limit.
 */
final class WebSocketTransport implements Transport {

    private static final Log logger = LogFactory.getLog(WebSocketTransport.class);
    private static final boolean TOMCAT = ClassUtils.isPresent("org.apache.tomcat.websocket.WsSession",
            WebSocketTransport.class.getClassLoader());

    private final WebSocketSession limited;
    private final WebSocketSession raw;

    WebSocketTransport(WebSocketSession limited, WebSocketSession raw) {
        this.limited = limited;
        this.raw = raw;
    }

    @Override
    public void send(byte[] packet) {
        try {
            limited.sendMessage(new BinaryMessage(packet));
        } catch (IOException | RuntimeException e) {
            logger.debug("closing WebSocket " + raw.getId() + " after a failed send: " + e.getMessage());
            close();
        }
    }

    @Override
    public void close() {
        try {
            limited.close(CloseStatus.NORMAL);
        } catch (IOException | RuntimeException e) {
            logger.debug("closing WebSocket " + raw.getId() + " failed: " + e.getMessage());
        }
    }

    @Override
    public void pauseReading() {
        if (TOMCAT) {
            TomcatSuspension.suspend(raw);
        }
    }

    @Override
    public void resumeReading() {
        if (TOMCAT) {
            TomcatSuspension.resume(raw);
        }
    }

    @Override
    public String remoteAddress() {
        InetSocketAddress address = raw.getRemoteAddress();
        return address == null ? "unknown" : address.toString();
    }
}
