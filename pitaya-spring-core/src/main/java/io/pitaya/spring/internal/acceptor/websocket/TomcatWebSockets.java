package io.pitaya.spring.internal.acceptor.websocket;

import jakarta.websocket.CloseReason;
import org.apache.tomcat.websocket.WsSession;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

/**
 * What only Tomcat's WebSocket session can do: stop and resume reading (inbound backpressure), and close the
 * socket at once. Loaded only when Tomcat's WebSocket implementation is present; on other containers
 * reading never pauses and an abort is a plain close.
 */
final class TomcatWebSockets {

    private TomcatWebSockets() {
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

    /**
     * Closes the socket right after a brief try at the close frame, instead of waiting for the client's
     * answering close frame (a client that does not read never sends one).
     * @return false when the session is not Tomcat's
     */
    static boolean closeNow(WebSocketSession session, CloseStatus status) {
        WsSession native_ = nativeSession(session);
        if (native_ == null) {
            return false;
        }
        CloseReason reason = new CloseReason(CloseReason.CloseCodes.getCloseCode(status.getCode()), status.getReason());
        native_.doClose(reason, reason, true);
        return true;
    }

    private static WsSession nativeSession(WebSocketSession session) {
        if (session instanceof StandardWebSocketSession standard && standard.getNativeSession() instanceof WsSession ws) {
            return ws;
        }
        return null;
    }
}
