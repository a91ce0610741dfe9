package io.pitaya.spring.acceptor.websocket;

import org.apache.tomcat.websocket.WsSession;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

/**
 * Stops and resumes reading a Tomcat WebSocket (inbound backpressure). Loaded only when Tomcat's
 * WebSocket implementation is present; other containers simply keep reading.
 */
final class TomcatSuspension {

    private TomcatSuspension() {
    }

    static void suspend(WebSocketSession session) {
        WsSession native_ = nativeSession(session);
        if (native_ != null) {
            native_.suspend();
        }
    }

    static void resume(WebSocketSession session) {
        WsSession native_ = nativeSession(session);
        if (native_ != null) {
            native_.resume();
        }
    }

    private static WsSession nativeSession(WebSocketSession session) {
        if (session instanceof StandardWebSocketSession standard && standard.getNativeSession() instanceof WsSession ws) {
            return ws;
        }
        return null;
    }
}
