package io.pitaya.spring.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketDecoder;
import io.pitaya.protocol.ProtocolException;

/**
 * A WebSocket client written by hand on a plain socket, for misbehaving on purpose: it upgrades, then sends
 * each byte array as one masked binary frame, and reads only when told to (a slow reader never does).
 */
public final class RawWebSocketClient implements RawClient {

    private final Socket socket;
    private final DataInputStream in;
    private final PacketDecoder packets = new PacketDecoder(Packet.MAX_BODY_LENGTH);
    private final java.util.ArrayDeque<Packet> received = new java.util.ArrayDeque<>();
    private final int status;

    /**
     * @param port the HTTP port
     * @param path the WebSocket path
     * @param origin the Origin header to send, or {@code null} for none
     * @param receiveBuffer the socket's receive buffer, 0 for the default
     */
    public RawWebSocketClient(int port, String path, String origin, int receiveBuffer) throws IOException {
        this(port, path, origin, receiveBuffer, new byte[0], "");
    }

    /**
     * @param prefix bytes sent before the HTTP request (a PROXY protocol header)
     * @param extraHeaders more header lines, each ending in CRLF
     */
    public RawWebSocketClient(int port, String path, String origin, int receiveBuffer, byte[] prefix, String extraHeaders) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n"
                + (origin != null ? "Origin: " + origin + "\r\n" : "") + extraHeaders + "\r\n";
        socket.getOutputStream().write(prefix);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        in = new DataInputStream(socket.getInputStream());
        String statusLine = readLine();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        while (!readLine().isEmpty()) {
            // headers
        }
    }

    /** @return the HTTP status of the upgrade: 101 when it was accepted */
    public int status() {
        return status;
    }

    @Override
    public RawWebSocketClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(frame(0x2, bytes));
        socket.getOutputStream().flush();
        return this;
    }

    /** Sends bytes as they are: several frames at once, or a frame header without its payload. */
    public RawWebSocketClient sendRaw(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * @param opcode 0x1 text, 0x2 binary
     * @param bytes the payload
     * @return one masked frame with the FIN bit
     */
    public static byte[] frame(int opcode, byte[] bytes) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(bytes.length + 14);
        frame.write(0x80 | opcode); // FIN
        if (bytes.length < 126) {
            frame.write(0x80 | bytes.length);
        } else if (bytes.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(bytes.length >>> 8);
            frame.write(bytes.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) bytes.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < bytes.length; i++) {
            frame.write(bytes[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    @Override
    public Packet readPacket() throws IOException {
        while (received.isEmpty()) {
            int opcode = in.readUnsignedByte() & 0x0F;
            long length = in.readUnsignedByte() & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            if (opcode == 0x8) {
                throw new IOException("closed by the server");
            }
            if (opcode == 0x2 || opcode == 0x0) {
                try {
                    received.addAll(packets.decode(payload));
                } catch (ProtocolException e) {
                    throw new IOException(e);
                }
            }
        }
        return received.poll();
    }

    @Override
    public boolean closedByServerWithin(int timeoutMillis) throws IOException {
        return RawTcpClient.drainUntilClosed(socket, timeoutMillis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    static boolean isTimeout(IOException e) {
        return e instanceof SocketTimeoutException;
    }

    InputStream input() {
        return in;
    }
}
