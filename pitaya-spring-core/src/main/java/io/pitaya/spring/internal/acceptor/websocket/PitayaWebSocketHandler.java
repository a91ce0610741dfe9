package io.pitaya.spring.internal.acceptor.websocket;

import java.nio.ByteBuffer;

import io.pitaya.protocol.PacketDecoder;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.spring.internal.acceptor.ClientConnection;
import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.session.CloseReason;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * Bridges Spring WebSocket sessions to {@link ClientConnection}s: one packet per binary frame.
 * Frames are read as a stream (partial messages on), so packets larger than the container's buffer
 * arrive whole and the size limit applies to the packet header, as on TCP: the handshake limit until the
 * client's HandshakeAck, the packet limit after it. The container never buffers a whole frame for us.
 */
public class PitayaWebSocketHandler extends AbstractWebSocketHandler {

    private static final String CONNECTION = PitayaWebSocketHandler.class.getName() + ".connection";
    private static final String DECODER = PitayaWebSocketHandler.class.getName() + ".decoder";

    private final ConnectionManager connections;
    private final int outboundBufferLimit;
    private volatile boolean accepting;

    /**
     * @param connections creates the connections; their limits (packet sizes, send time) apply
     * @param outboundBufferLimit bytes waiting for a client before it is closed as a slow reader
     */
    public PitayaWebSocketHandler(ConnectionManager connections, int outboundBufferLimit) {
        this.connections = connections;
        this.outboundBufferLimit = outboundBufferLimit;
    }

    void setAccepting(boolean accepting) {
        this.accepting = accepting;
    }

    boolean isAccepting() {
        return accepting;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws Exception {
        if (!accepting) {
            session.close(CloseStatus.SERVICE_RESTARTED);
            return;
        }
        WebSocketTransport transport = new WebSocketTransport(session, outboundBufferLimit,
                connections.limits().sendTimeLimit().toMillis());
        ClientConnection connection = connections.open(transport, "websocket");
        if (connection != null) {
            transport.onOverLimit(connection::slowReader);
            transport.onSendTimeout(connection::stalled);
            session.getAttributes().put(DECODER, new PacketDecoder(connection.maxBodyLength()));
            session.getAttributes().put(CONNECTION, connection);
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        ClientConnection connection = (ClientConnection) session.getAttributes().get(CONNECTION);
        PacketDecoder decoder = (PacketDecoder) session.getAttributes().get(DECODER);
        if (connection == null) {
            return;
        }
        ByteBuffer payload = message.getPayload();
        byte[] bytes;
        int offset;
        if (payload.hasArray()) {
            bytes = payload.array();
            offset = payload.arrayOffset() + payload.position();
        } else {
            bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            offset = 0;
        }
        try {
            // Each packet reaches the connection as it completes, so the limit follows the handshake state.
            decoder.setMaxBodyLength(connection.maxBodyLength());
            decoder.decode(bytes, offset, payload.remaining(), packet -> {
                connection.onPacket(packet);
                decoder.setMaxBodyLength(connection.maxBodyLength());
            });
        } catch (ProtocolException e) {
            connection.onProtocolError(e);
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        ClientConnection connection = (ClientConnection) session.getAttributes().get(CONNECTION);
        if (connection != null) {
            connection.close(CloseReason.PROTOCOL_ERROR, "text frame; pitaya packets travel in binary frames");
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) throws Exception {
        ClientConnection connection = (ClientConnection) session.getAttributes().get(CONNECTION);
        if (connection != null) {
            connection.close(CloseReason.CLIENT, "transport error: " + exception.getMessage());
        } else {
            session.close(CloseStatus.SERVER_ERROR);
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        ClientConnection connection = (ClientConnection) session.getAttributes().get(CONNECTION);
        if (connection != null) {
            connection.onClosed();
        }
    }

    @Override
    public boolean supportsPartialMessages() {
        return true;
    }
}
