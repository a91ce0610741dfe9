package io.pitaya.spring.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;

/** A plain socket for misbehaving on purpose: bytes out, and whether the server closed us. */
public final class RawTcpClient implements AutoCloseable {

    private final Socket socket;

    public RawTcpClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
    }

    public RawTcpClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    public RawTcpClient send(PacketType type, String body) throws IOException {
        return send(Packet.encode(type, body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Handshake and HandshakeAck, reading the server's answer in between. */
    public RawTcpClient handshake() throws IOException {
        send(PacketType.HANDSHAKE, "{\"sys\":{\"platform\":\"raw\"},\"user\":{}}");
        readPacket();
        return send(PacketType.HANDSHAKE_ACK, "");
    }

    public Packet readPacket() throws IOException {
        InputStream in = socket.getInputStream();
        byte[] header = in.readNBytes(Packet.HEADER_LENGTH);
        if (header.length < Packet.HEADER_LENGTH) {
            throw new IOException("closed");
        }
        byte[] body = in.readNBytes(Packet.bodyLength(header[1], header[2], header[3]));
        try {
            return new Packet(PacketType.of(header[0] & 0xFF), body);
        } catch (io.pitaya.protocol.ProtocolException e) {
            throw new IOException(e);
        }
    }

    /**
     * Reads and discards until the server closes the connection.
     * @param timeoutMillis how long to wait at most
     * @return true when the server closed the connection in time
     */
    public boolean closedByServerWithin(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        byte[] buf = new byte[8192];
        try {
            while (System.currentTimeMillis() < deadline) {
                if (socket.getInputStream().read(buf) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
