package io.pitaya.spring.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;

/** A hand-written client on a plain socket, TCP or WebSocket, for misbehaving on purpose. */
public interface RawClient extends AutoCloseable {

    /**
     * @param transport which acceptor
     * @param server the server under test
     * @param receiveBuffer the socket's receive buffer, 0 for the default (small for a slow reader)
     * @return a connected client (WebSocket: upgraded)
     */
    static RawClient open(Transport transport, ServerUnderTest server, int receiveBuffer) throws IOException {
        return transport == Transport.TCP
                ? new RawTcpClient(server.tcpPort(), receiveBuffer)
                : new RawWebSocketClient(server.webSocketPort(transport), server.webSocketPath(), null, receiveBuffer);
    }

    /** Sends bytes (over WebSocket: one binary frame). */
    RawClient send(byte[] bytes) throws IOException;

    default RawClient send(PacketType type, String body) throws IOException {
        return send(Packet.encode(type, body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends one Request or Notify message in a Data packet. */
    default RawClient send(io.pitaya.protocol.Message message) throws IOException {
        return send(Packet.encode(PacketType.DATA, new MessageCodec().encode(message)));
    }

    /** Handshake and HandshakeAck, reading the server's answer in between. */
    default RawClient handshake() throws IOException {
        send(PacketType.HANDSHAKE, "{\"sys\":{\"platform\":\"raw\"},\"user\":{}}");
        Packet answer = readPacket();
        if (answer.type() != PacketType.HANDSHAKE) {
            throw new IOException("expected the handshake answer, got " + answer.type());
        }
        return send(PacketType.HANDSHAKE_ACK, "");
    }

    Packet readPacket() throws IOException;

    /** @return true when the server closed the connection within the time (what arrives meanwhile is discarded) */
    boolean closedByServerWithin(int timeoutMillis) throws IOException;

    @Override
    void close() throws IOException;
}
