package io.pitaya.bench.abuse;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.protocol.HandshakeRequest;
import io.pitaya.protocol.HandshakeResponse;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.MessageType;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.ProtocolException;

/**
 * One hand-driven connection to the server, TCP or WebSocket (the upgrade and the frames done here),
 * with a receive buffer of our choosing. Blocking, with a timeout on every read; once set up it can be
 * handed to a {@link CloseWatcher}, which switches it to non-blocking mode.
 *
 * <p>Used where {@link io.pitaya.client.PitayaClient} would be too polite: a client that stops reading,
 * half a packet, a frame no library would send.
 */
final class RawConnection implements Closeable {

    private static final HandshakeCodec HANDSHAKE = new HandshakeCodec();
    private static final MessageCodec MESSAGES = new MessageCodec();
    private static final byte[] HEARTBEAT = Packet.encode(PacketType.HEARTBEAT, new byte[0]);
    private static final byte[] HANDSHAKE_ACK = Packet.encode(PacketType.HANDSHAKE_ACK, new byte[0]);
    private static final int MAX_BUFFERED = 32 << 20;

    private final SocketChannel channel;
    private final boolean webSocket;
    private final Random random;
    private final InputStream in;
    /** WebSocket only: bytes read but not yet a whole frame. */
    private final Bytes frames = new Bytes();
    /** Pitaya bytes (from the stream or from frames) not yet a whole packet. */
    private final Bytes stream = new Bytes();
    private final byte[] readBuffer = new byte[16 * 1024];
    private boolean closeFrameSeen;
    private volatile long closedNanos;

    private RawConnection(SocketChannel channel, boolean webSocket, Random random) throws IOException {
        this.channel = channel;
        this.webSocket = webSocket;
        this.random = random;
        this.in = channel.socket().getInputStream();
    }

    /**
     * Connects, and for WebSocket upgrades by hand.
     * @param endpoints the server
     * @param webSocket WebSocket or TCP
     * @param receiveBuffer SO_RCVBUF in bytes, 0 for the system's
     * @param timeout for the connect and the upgrade
     * @param random mask keys and the WebSocket key
     * @return the open connection
     * @throws IOException when the connect or the upgrade fails
     */
    static RawConnection open(Endpoints endpoints, boolean webSocket, int receiveBuffer, Duration timeout, Random random)
            throws IOException {
        return open(endpoints.host(), endpoints.port(webSocket), webSocket ? endpoints.wsPath() : null, receiveBuffer, timeout,
                random);
    }

    /**
     * Connects, and when a path is given upgrades to WebSocket by hand.
     * @param host the server's host
     * @param port its port
     * @param wsPath the WebSocket path, or {@code null} for a plain TCP connection
     * @param receiveBuffer SO_RCVBUF in bytes, 0 for the system's
     * @param timeout for the connect and the upgrade
     * @param random mask keys and the WebSocket key
     * @return the open connection
     * @throws IOException when the connect or the upgrade fails
     */
    static RawConnection open(String host, int port, String wsPath, int receiveBuffer, Duration timeout, Random random)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            if (receiveBuffer > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            RawConnection connection = new RawConnection(channel, wsPath != null, random);
            if (wsPath != null) {
                connection.upgrade(host, port, wsPath, timeout);
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void upgrade(String host, int port, String path, Duration timeout) throws IOException {
        String key = WebSocketFrames.newKey(random);
        writeFully(WebSocketFrames.upgradeRequest(host, port, path, key));
        long deadline = System.nanoTime() + timeout.toNanos();
        Bytes response = new Bytes();
        int end;
        while ((end = headerEnd(response)) < 0) {
            if (response.size() > 64 * 1024) {
                throw new IOException("upgrade answer without an end of headers");
            }
            readSome(response, deadline);
        }
        String head = new String(response.data(), 0, end, StandardCharsets.ISO_8859_1);
        String status = head.lines().findFirst().orElse("");
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("WebSocket upgrade refused: " + status);
        }
        if (!head.contains(WebSocketFrames.acceptFor(key))) {
            throw new IOException("WebSocket upgrade answered with a wrong Sec-WebSocket-Accept");
        }
        frames.append(response.data(), end + 4, response.size() - end - 4);
    }

    private static int headerEnd(Bytes bytes) {
        byte[] d = bytes.data();
        for (int i = 0; i + 3 < bytes.size(); i++) {
            if (d[i] == '\r' && d[i + 1] == '\n' && d[i + 2] == '\r' && d[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** @return whether this is a WebSocket connection */
    boolean webSocket() {
        return webSocket;
    }

    /** @return the channel, for {@link CloseWatcher} */
    SocketChannel channel() {
        return channel;
    }

    /** @return when the server was seen closing this connection ({@link System#nanoTime()}), 0 if not yet */
    long closedNanos() {
        return closedNanos;
    }

    void markClosed(long nanos) {
        if (closedNanos == 0) {
            closedNanos = nanos;
        }
    }

    /**
     * Sends pitaya bytes: into the stream on TCP, as one masked binary frame on WebSocket.
     * @param pitayaBytes packets, or part of one
     * @throws IOException when the connection is gone
     */
    void send(byte[] pitayaBytes) throws IOException {
        writeFully(webSocket ? WebSocketFrames.clientFrame(WebSocketFrames.BINARY, pitayaBytes, random) : pitayaBytes);
    }

    /**
     * Writes bytes on the socket as they are (no framing).
     * @param bytes the bytes
     * @throws IOException when the connection is gone
     */
    void writeFully(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * @throws IOException when the connection is gone
     */
    void heartbeat() throws IOException {
        send(HEARTBEAT);
    }

    /**
     * Sends a Handshake and, when the server accepts it, the HandshakeAck.
     * @param body the handshake JSON, or {@code null} for a plain one
     * @param timeout how long to wait for the answer
     * @return the server's answer
     * @throws IOException when the server closes, does not answer in time, or answers something else
     */
    HandshakeResponse handshake(byte[] body, Duration timeout) throws IOException {
        byte[] json = body != null ? body
                : HANDSHAKE.encodeRequest(HandshakeRequest.of("java", "abuse-tool", Map.of()));
        send(Packet.encode(PacketType.HANDSHAKE, json));
        Packet answer = readPacket(timeout);
        if (answer.type() != PacketType.HANDSHAKE) {
            throw new IOException("expected the handshake answer, got " + answer);
        }
        HandshakeResponse response;
        try {
            response = HANDSHAKE.decodeResponse(answer.body());
        } catch (ProtocolException e) {
            throw new IOException("undecodable handshake answer", e);
        }
        if (response.code() == HandshakeResponse.OK) {
            send(HANDSHAKE_ACK);
        }
        return response;
    }

    /**
     * Sends a Request and reads until its Response, skipping pushes and heartbeats.
     * @param id the request id
     * @param route the route
     * @param body the body
     * @param timeout how long to wait
     * @return the response
     * @throws IOException when the server closes or does not answer in time
     */
    Message request(long id, String route, byte[] body, Duration timeout) throws IOException {
        send(Packet.encode(PacketType.DATA, MESSAGES.encode(Message.request(id, route, body))));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Packet packet = readPacket(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (packet.type() == PacketType.DATA) {
                try {
                    Message message = MESSAGES.decode(packet.body());
                    if (message.type() == MessageType.RESPONSE && message.id() == id) {
                        return message;
                    }
                } catch (ProtocolException e) {
                    throw new IOException("undecodable message from the server", e);
                }
            }
        }
    }

    /**
     * Reads the next packet from the server.
     * @param timeout how long to wait
     * @return the packet
     * @throws EOFException when the server closed (or sent a WebSocket close frame)
     * @throws SocketTimeoutException when nothing whole arrived in time
     * @throws IOException on other failures
     */
    Packet readPacket(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (stream.size() >= Packet.HEADER_LENGTH) {
                byte[] d = stream.data();
                int length = Packet.bodyLength(d[1], d[2], d[3]);
                if (stream.size() >= Packet.HEADER_LENGTH + length) {
                    PacketType type;
                    try {
                        type = PacketType.of(d[0] & 0xFF);
                    } catch (ProtocolException e) {
                        throw new IOException("server sent an unknown packet type", e);
                    }
                    Packet packet = new Packet(type, Arrays.copyOfRange(d, Packet.HEADER_LENGTH, Packet.HEADER_LENGTH + length));
                    stream.consume(Packet.HEADER_LENGTH + length);
                    return packet;
                }
            }
            if (closeFrameSeen) {
                throw new EOFException("WebSocket close frame");
            }
            if (webSocket) {
                if (!unframe()) {
                    readSome(frames, deadline);
                }
            } else {
                readSome(stream, deadline);
            }
        }
    }

    /** Moves whole frames from {@link #frames} to {@link #stream}; false when no whole frame was there. */
    private boolean unframe() throws IOException {
        boolean any = false;
        WebSocketFrames.Frame frame;
        while ((frame = WebSocketFrames.decode(frames.data(), 0, frames.size())) != null) {
            frames.consume(frame.consumed());
            any = true;
            switch (frame.opcode()) {
                case WebSocketFrames.BINARY, WebSocketFrames.CONTINUATION -> stream.append(frame.payload(), 0, frame.payload().length);
                case WebSocketFrames.CLOSE -> closeFrameSeen = true;
                case WebSocketFrames.PING -> writeFully(WebSocketFrames.clientFrame(WebSocketFrames.PONG, frame.payload(), random));
                default -> { }
            }
            if (closeFrameSeen) {
                break;
            }
        }
        return any;
    }

    private void readSome(Bytes into, long deadlineNanos) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("nothing from the server in time");
        }
        if (into.size() > MAX_BUFFERED) {
            throw new IOException("more than " + MAX_BUFFERED + " bytes buffered without a whole packet");
        }
        channel.socket().setSoTimeout((int) Math.max(1, left / 1_000_000));
        int n = in.read(readBuffer);
        if (n < 0) {
            throw new EOFException("server closed the connection");
        }
        into.append(readBuffer, 0, n);
    }

    /**
     * Waits a little to see whether the server closes: reads (and drops) whatever comes meanwhile.
     * @param wait how long to wait
     * @return true when the server closed, reset, or sent a WebSocket close frame within the wait
     */
    boolean closedWithin(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                if (webSocket) {
                    unframe();
                    if (closeFrameSeen) {
                        return true;
                    }
                    stream.clear();
                    readSome(frames, deadline);
                } else {
                    stream.clear();
                    readSome(stream, deadline);
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    /** A growable byte buffer that is consumed from the front. */
    static final class Bytes {
        private byte[] data = new byte[256];
        private int size;

        void append(byte[] bytes, int offset, int length) {
            if (size + length > data.length) {
                data = Arrays.copyOf(data, Math.max(size + length, data.length * 2));
            }
            System.arraycopy(bytes, offset, data, size, length);
            size += length;
        }

        void consume(int n) {
            System.arraycopy(data, n, data, 0, size - n);
            size -= n;
        }

        void clear() {
            size = 0;
        }

        byte[] data() {
            return data;
        }

        int size() {
            return size;
        }
    }
}
