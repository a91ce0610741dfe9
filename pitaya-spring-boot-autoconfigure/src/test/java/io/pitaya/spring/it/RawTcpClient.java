package io.pitaya.spring.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;

/** A plain socket for misbehaving on purpose: bytes out, and whether the server closed us. */
public final class RawTcpClient implements RawClient {

    private final Socket socket;

    public RawTcpClient(int port) throws IOException {
        this(port, 0);
    }

    /** @param receiveBuffer the socket's receive buffer, 0 for the default */
    public RawTcpClient(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
    }

    @Override
    public RawTcpClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    @Override
    public RawTcpClient send(PacketType type, String body) throws IOException {
        return send(Packet.encode(type, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public RawTcpClient handshake() throws IOException {
        RawClient.super.handshake();
        return this;
    }

    @Override
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
    @Override
    public boolean closedByServerWithin(int timeoutMillis) throws IOException {
        return drainUntilClosed(socket, timeoutMillis);
    }

    static boolean drainUntilClosed(Socket socket, int timeoutMillis) throws IOException {
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
