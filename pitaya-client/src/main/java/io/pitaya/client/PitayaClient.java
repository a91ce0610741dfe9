package io.pitaya.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.pitaya.PitayaException;
import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.protocol.HandshakeRequest;
import io.pitaya.protocol.HandshakeResponse;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.protocol.RouteDictionary;
import io.pitaya.serialize.JsonSerializer;
import io.pitaya.serialize.ProtobufSerializer;
import io.pitaya.serialize.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * A pitaya client: one connection over TCP or WebSocket, the handshake, heartbeats, requests with
 * timeouts, notifies and pushes.
 *
 * <pre>{@code
 * PitayaClient client = PitayaClient.builder().tcp("127.0.0.1", 3250).build();
 * client.connect().join();
 * client.onPush("chat.onMessage", ChatMessage.class, m -> System.out.println(m.text()));
 * Joined joined = client.request("room.join", Map.of("name", "a"), Joined.class).join();
 * client.close();
 * }</pre>
 *
 * <p>A client is used for one connection: once closed it stays closed. All methods are thread-safe and
 * none blocks. Futures are completed, and listeners run, on the connection's Netty event loop: they
 * must not block (chain with {@code thenCompose}, or hand the work to another executor).
 */
public final class PitayaClient {

    private static final System.Logger LOG = System.getLogger(PitayaClient.class.getName());
    private static final String PLATFORM = "java";
    private static final String LIB_VERSION = libVersion();
    private static final HandshakeCodec HANDSHAKE_CODEC = new HandshakeCodec();
    private static final Serializer JSON = new JsonSerializer();
    private static final Serializer PROTOBUF = new ProtobufSerializer();
    private static final Packet HANDSHAKE_ACK = Packet.of(PacketType.HANDSHAKE_ACK);

    private final Builder config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;

    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> openFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final ClientTransport transport;
    private final RequestTable requests = new RequestTable();
    private final ClientListeners listeners = new ClientListeners();
    private final Heartbeats heartbeats;

    private volatile @Nullable Channel channel;
    private volatile boolean connected;
    private volatile @Nullable Throwable closeCause;
    private volatile MessageCodec encoder;
    private volatile MessageCodec decoder;
    private volatile @Nullable Serializer serializer;
    private volatile @Nullable HandshakeResponse handshakeResponse;
    // Touched on the event loop only.
    private @Nullable PendingHandshake pendingHandshake;

    private PitayaClient(Builder config) {
        this.config = config;
        this.ownsGroup = config.eventLoopGroup == null;
        this.group = ownsGroup ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : config.eventLoopGroup;
        MessageCodec plain = new MessageCodec(RouteDictionary.empty(), config.compressData, config.maxPacketSize);
        this.encoder = plain;
        this.decoder = plain;
        this.serializer = config.serializer;
        this.transport = new ClientTransport(config.host, config.port, config.webSocketUri, config.webSocketCompression,
                config.sslContext, config.verifyHostname, config.maxPacketSize, config.connectTimeout);
        this.heartbeats = new Heartbeats(config.heartbeats);
    }

    /** @return a builder; choose a transport with {@link Builder#tcp} or {@link Builder#websocket} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the connection, sends the Handshake and, once the server accepts it, the HandshakeAck;
     * heartbeats start then.
     * @return the server's handshake answer; fails with {@link PitayaException} when its code is not 200
     *         (the code is {@code PIT-<code>}), with {@link TimeoutException} when the server does not
     *         answer within the request timeout, or with the cause of a failed connection
     */
    public CompletableFuture<HandshakeResponse> connect() {
        return open().thenCompose(ignored -> handshake(true));
    }

    /**
     * Only opens the connection (TCP connect, or the WebSocket upgrade), for tests that go on with
     * {@link #handshake(boolean)} or misbehave on purpose. A client opens once.
     * @return completes when the connection is open
     */
    public CompletableFuture<Void> open() {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new ClientClosedException("client is closed"));
        }
        if (!opened.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException("a client opens one connection only"));
        }
        try {
            var connecting = transport.bootstrap(group, new ClientHandler()).connect(config.host, config.port);
            Channel ch = connecting.channel();
            channel = ch;
            ch.closeFuture().addListener(f -> connectionClosed());
            // close() may have run before the channel was published; it could not close it then.
            if (closed.get()) {
                ch.close();
            }
            connecting.addListener(f -> {
                if (!f.isSuccess()) {
                    failOpen(f.cause());
                } else if (!transport.webSocket()) {
                    opened(ch);
                }
            });
        } catch (RuntimeException e) {
            failOpen(e);
            connectionClosed();
        }
        return openFuture;
    }

    /**
     * Sends the Handshake on an open connection and waits for the server's answer.
     * @param sendAck send the HandshakeAck (and start heartbeats) when the server accepts; {@code false}
     *                leaves the connection before the ack, for tests of the server's handshake state
     * @return the server's answer, failing as described for {@link #connect()}
     */
    public CompletableFuture<HandshakeResponse> handshake(boolean sendAck) {
        Channel ch = channel;
        if (ch == null || !openFuture.isDone()) {
            return CompletableFuture.failedFuture(new IllegalStateException("open() the connection first"));
        }
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedException());
        }
        CompletableFuture<HandshakeResponse> result = new CompletableFuture<>();
        byte[] body = HANDSHAKE_CODEC.encodeRequest(new HandshakeRequest(PLATFORM, LIB_VERSION,
                config.clientBuildNumber, config.clientVersion, Map.of(), config.handshakeUser));
        try {
            ch.eventLoop().execute(() -> {
                if (closed.get()) {
                    result.completeExceptionally(closedException());
                    return;
                }
                if (pendingHandshake != null) {
                    pendingHandshake.timeout.cancel(false);
                    pendingHandshake.result.completeExceptionally(new IllegalStateException("superseded by a new handshake"));
                }
                PendingHandshake handshake = new PendingHandshake(result, sendAck);
                pendingHandshake = handshake;
                handshake.timeout = ch.eventLoop().schedule(() -> {
                    if (pendingHandshake == handshake) {
                        pendingHandshake = null;
                        result.completeExceptionally(new TimeoutException("no handshake answer within " + config.requestTimeout));
                    }
                }, config.requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
                ch.writeAndFlush(new Packet(PacketType.HANDSHAKE, body), ch.voidPromise());
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(closedException());
        }
        return result;
    }

    /**
     * Writes one packet as it is, whatever the connection's state (low level, for tests of bad input).
     * @param packet the packet
     * @throws IllegalStateException when the connection was never opened
     */
    public void sendPacket(Packet packet) {
        Objects.requireNonNull(packet, "packet");
        Channel ch = requireChannel();
        ch.writeAndFlush(packet, ch.voidPromise());
    }

    /**
     * Writes bytes as they are: on TCP into the stream, on WebSocket as one binary frame (low level,
     * for tests of bad input).
     * @param bytes the bytes
     * @throws IllegalStateException when the connection was never opened
     */
    public void sendRaw(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Channel ch = requireChannel();
        ch.writeAndFlush(Unpooled.wrappedBuffer(bytes), ch.voidPromise());
    }

    /**
     * Sends a Request with a raw body and the default timeout.
     * @param route the route, {@code serverType.component.method} or {@code component.method}
     * @param body the body, sent as it is
     * @return the response body; fails with {@link PitayaException} for an error response,
     *         {@link TimeoutException} after the timeout, {@link ClientClosedException} when the
     *         connection closes first
     */
    public CompletableFuture<byte[]> request(String route, byte[] body) {
        return request(route, body, config.requestTimeout);
    }

    /**
     * Sends a Request with a raw body.
     * @param route the route
     * @param body the body, sent as it is
     * @param timeout how long to wait for the response, positive
     * @return the response body, failing as described for {@link #request(String, byte[])}
     */
    public CompletableFuture<byte[]> request(String route, byte[] body, Duration timeout) {
        Objects.requireNonNull(route, "route");
        requirePositive(timeout, "timeout");
        Channel ch = channel;
        if (ch == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("connect() first"));
        }
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedException());
        }
        long id = requests.nextId();
        Packet packet;
        try {
            packet = new Packet(PacketType.DATA, encoder.encode(Message.request(id, route, body)));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        // The close path drains the table after setting the flag; the table checks it after registering the request.
        return requests.send(ch, id, route, packet, timeout, closed::get, this::closedException);
    }

    /**
     * Sends a Request with a payload encoded by the {@link #serializer()} and decodes the response.
     * @param route the route
     * @param payload the payload; a {@code byte[]} is sent raw, {@code null} as an empty body
     * @param responseType the response type; {@code byte[].class} returns the raw body
     * @param <T> the response type
     * @return the response, failing as described for {@link #request(String, byte[])}, or with the
     *         serializer's exception when the response does not decode
     */
    public <T> CompletableFuture<T> request(String route, @Nullable Object payload, Class<T> responseType) {
        return request(route, payload, responseType, config.requestTimeout);
    }

    /**
     * Sends a Request with a payload encoded by the {@link #serializer()} and decodes the response.
     * @param route the route
     * @param payload the payload; a {@code byte[]} is sent raw, {@code null} as an empty body
     * @param responseType the response type; {@code byte[].class} returns the raw body
     * @param timeout how long to wait for the response, positive
     * @param <T> the response type
     * @return the response, failing as described for {@link #request(String, Object, Class)}
     */
    public <T> CompletableFuture<T> request(String route, @Nullable Object payload, Class<T> responseType, Duration timeout) {
        Objects.requireNonNull(responseType, "responseType");
        byte[] body;
        try {
            body = marshal(payload);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> typed = new CompletableFuture<>();
        request(route, body, timeout).whenComplete((bytes, error) -> {
            if (error != null) {
                typed.completeExceptionally(error);
                return;
            }
            try {
                typed.complete(unmarshal(bytes, responseType));
            } catch (RuntimeException e) {
                typed.completeExceptionally(e);
            }
        });
        return typed;
    }

    /**
     * Sends a Notify with a raw body; the server never answers it. Dropped when the connection has
     * closed (which {@link #onClose} and {@link #closeFuture()} report).
     * @param route the route
     * @param body the body, sent as it is
     * @throws IllegalStateException when the connection was never opened
     * @throws IllegalArgumentException when the route is longer than 255 bytes
     */
    public void notify(String route, byte[] body) {
        Objects.requireNonNull(route, "route");
        Channel ch = requireChannel();
        ch.writeAndFlush(new Packet(PacketType.DATA, encoder.encode(Message.notify(route, body))), ch.voidPromise());
    }

    /**
     * Sends a Notify with a payload encoded by the {@link #serializer()}.
     * @param route the route
     * @param payload the payload; a {@code byte[]} is sent raw, {@code null} as an empty body
     * @throws IllegalStateException when the connection was never opened
     */
    public void notify(String route, @Nullable Object payload) {
        notify(route, marshal(payload));
    }

    /**
     * Listens to pushes on a route with their raw bodies.
     * @param route the push route
     * @param listener called on the event loop for each push
     */
    public void onPush(String route, Consumer<byte[]> listener) {
        listeners.onPush(route, listener);
    }

    /**
     * Listens to pushes on a route, decoded by the {@link #serializer()}.
     * @param route the push route
     * @param type the payload type; {@code byte[].class} passes the raw body
     * @param listener called on the event loop for each push
     * @param <T> the payload type
     */
    public <T> void onPush(String route, Class<T> type, Consumer<T> listener) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(listener, "listener");
        onPush(route, (Consumer<byte[]>) bytes -> listener.accept(unmarshal(bytes, type)));
    }

    /** @param listener called on the event loop with every packet received, before it is handled */
    public void onPacket(Consumer<Packet> listener) {
        listeners.onPacket(listener);
    }

    /** @param listener called on the event loop when the server sends a Kick (it closes right after) */
    public void onKick(Runnable listener) {
        listeners.onKick(listener);
    }

    /**
     * Runs a listener once when the connection closes (or could not be opened), after pending requests
     * have failed; right away when it is already closed.
     * @param listener the listener
     */
    public void onClose(Runnable listener) {
        listeners.onClose(listener);
    }

    /** @return completes when the connection has closed and pending requests have failed */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture.copy();
    }

    /** @return true while the connection is open (after {@link #open()} completed, before it closed) */
    public boolean isConnected() {
        return connected;
    }

    /** @return the server's accepted handshake answer, {@code null} before it */
    public @Nullable HandshakeResponse handshakeResponse() {
        return handshakeResponse;
    }

    /**
     * @return the serializer for payloads: the configured one, else the one the server announced,
     *         else JSON until the handshake
     */
    public Serializer serializer() {
        Serializer s = serializer;
        return s == null ? JSON : s;
    }

    /** @return {@link System#nanoTime()} when the last Heartbeat arrived, 0 when none has */
    public long lastHeartbeatReceivedNanos() {
        return heartbeats.lastReceivedNanos();
    }

    /**
     * Closes the connection: pending requests fail with {@link ClientClosedException}, close listeners
     * run, and the client's own event loop group (not a shared one) shuts down. Returns at once; wait on
     * {@link #closeFuture()} if needed. Idempotent.
     */
    public void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        } else {
            connectionClosed();
        }
    }

    /** @return how many requests wait for a response; tests check that timeouts and closes release them */
    int pendingRequests() {
        return requests.size();
    }

    private void opened(Channel ch) {
        if (ch.isActive() && !closed.get()) {
            connected = true;
            openFuture.complete(null);
        }
    }

    private void failOpen(Throwable cause) {
        if (closeCause == null) {
            closeCause = cause;
        }
        openFuture.completeExceptionally(cause);
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    private void handshakeAnswered(Channel ch, byte[] body) {
        PendingHandshake handshake = pendingHandshake;
        if (handshake == null) {
            return;
        }
        pendingHandshake = null;
        handshake.timeout.cancel(false);
        HandshakeResponse response;
        Serializer chosen;
        RouteDictionary dictionary;
        try {
            response = HANDSHAKE_CODEC.decodeResponse(body);
            if (response.code() != HandshakeResponse.OK) {
                handshake.result.completeExceptionally(new PitayaException(String.format("PIT-%03d", response.code()),
                        "handshake refused with code " + response.code()));
                return;
            }
            chosen = config.serializer != null ? config.serializer : serializerNamed(response.serializer());
            dictionary = dictionaryOf(response);
        } catch (ProtocolException e) {
            handshake.result.completeExceptionally(e);
            failConnection(ch, e);
            return;
        }
        decoder = new MessageCodec(dictionary, false, config.maxPacketSize);
        encoder = new MessageCodec(config.useRouteDictionary ? dictionary : RouteDictionary.empty(),
                config.compressData, config.maxPacketSize);
        serializer = chosen;
        handshakeResponse = response;
        if (handshake.sendAck) {
            ch.writeAndFlush(HANDSHAKE_ACK, ch.voidPromise());
            heartbeats.start(ch, response.heartbeat());
        }
        handshake.result.complete(response);
    }

    private void dataReceived(Channel ch, byte[] body) {
        Message message;
        try {
            message = decoder.decode(body);
        } catch (ProtocolException e) {
            failConnection(ch, e);
            return;
        }
        switch (message.type()) {
            case RESPONSE -> requests.answered(message, serializer());
            case PUSH -> listeners.pushed(message);
            // Requests and notifies travel to the server only; nothing listens for them here.
            default -> LOG.log(System.Logger.Level.DEBUG, "ignoring {0} sent by the server", message);
        }
    }

    private void failConnection(Channel ch, Throwable cause) {
        if (closeCause == null && !closed.get()) {
            closeCause = cause;
        }
        openFuture.completeExceptionally(cause);
        ch.close();
    }

    private void connectionClosed() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connected = false;
        ClientClosedException closedException = closedException();
        openFuture.completeExceptionally(closedException);
        Channel ch = channel;
        if (ch != null) {
            // Handshake and heartbeat state belong to the event loop, where the close listener runs.
            if (ch.eventLoop().inEventLoop()) {
                stopHandshakeAndHeartbeats();
            } else {
                try {
                    ch.eventLoop().execute(this::stopHandshakeAndHeartbeats);
                } catch (RejectedExecutionException e) {
                    LOG.log(System.Logger.Level.DEBUG, "event loop already shut down", e);
                }
            }
        }
        requests.failAll(this::closedException);
        listeners.closed();
        closeFuture.complete(null);
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private void stopHandshakeAndHeartbeats() {
        if (pendingHandshake != null) {
            pendingHandshake.timeout.cancel(false);
            pendingHandshake.result.completeExceptionally(closedException());
            pendingHandshake = null;
        }
        heartbeats.stop();
    }

    private ClientClosedException closedException() {
        Throwable cause = closeCause;
        return new ClientClosedException(cause == null ? "connection closed" : "connection closed: " + cause, cause);
    }

    private Channel requireChannel() {
        Channel ch = channel;
        if (ch == null) {
            throw new IllegalStateException("open() the connection first");
        }
        return ch;
    }

    private byte[] marshal(Object payload) {
        if (payload == null) {
            return new byte[0];
        }
        return payload instanceof byte[] raw ? raw : serializer().marshal(payload);
    }

    @SuppressWarnings("unchecked")
    private <T> T unmarshal(byte[] bytes, Class<T> type) {
        return type == byte[].class ? (T) bytes : serializer().unmarshal(bytes, type);
    }

    private static Serializer serializerNamed(String name) throws ProtocolException {
        if (name == null || name.equals(JSON.name())) {
            return JSON;
        }
        if (name.equals(PROTOBUF.name())) {
            return PROTOBUF;
        }
        throw new ProtocolException("server announced serializer '" + name + "'; configure one with Builder.serializer");
    }

    private static RouteDictionary dictionaryOf(HandshakeResponse response) throws ProtocolException {
        try {
            return RouteDictionary.of(response.dict());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("invalid route dictionary: " + e.getMessage(), e);
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, is " + duration);
        }
    }

    private static String libVersion() {
        try (InputStream in = PitayaClient.class.getResourceAsStream("pitaya-client.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Bridges the pipeline to the client: packets in, connection events, failures. */
    private final class ClientHandler extends SimpleChannelInboundHandler<Packet> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
            if (packet.type() == PacketType.HEARTBEAT) {
                // Recorded before the listeners run, so a listener sees the new time.
                heartbeats.received();
            }
            listeners.received(packet);
            switch (packet.type()) {
                case HANDSHAKE -> handshakeAnswered(ctx.channel(), packet.body());
                case DATA -> dataReceived(ctx.channel(), packet.body());
                case KICK -> listeners.kicked();
                // Heartbeats were recorded above; HandshakeAck travels to the server only.
                default -> LOG.log(System.Logger.Level.DEBUG, "ignoring {0} sent by the server", packet);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                opened(ctx.channel());
            } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                failConnection(ctx.channel(), new TimeoutException("WebSocket upgrade took longer than " + config.connectTimeout));
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(System.Logger.Level.DEBUG, "closing the connection", cause);
            failConnection(ctx.channel(), cause);
        }
    }

    /** A handshake waiting for the server's answer; lives on the event loop only. */
    private static final class PendingHandshake {
        final CompletableFuture<HandshakeResponse> result;
        final boolean sendAck;
        ScheduledFuture<?> timeout;

        PendingHandshake(CompletableFuture<HandshakeResponse> result, boolean sendAck) {
            this.result = result;
            this.sendAck = sendAck;
        }
    }

    /**
     * Configures a {@link PitayaClient}. Choose a transport, then {@link #build()}.
     */
    public static final class Builder {

        private @Nullable String host;
        private int port;
        private @Nullable URI webSocketUri;
        private Map<String, Object> handshakeUser = Map.of();
        private String clientVersion = "0.0.0";
        private String clientBuildNumber = "0";
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private boolean heartbeats = true;
        private boolean useRouteDictionary = true;
        private boolean compressData;
        private @Nullable Serializer serializer;
        private @Nullable EventLoopGroup eventLoopGroup;
        private int maxPacketSize = Packet.MAX_BODY_LENGTH;
        private @Nullable SSLContext sslContext;
        private boolean verifyHostname = true;
        private boolean webSocketCompression;

        private Builder() {
        }

        /**
         * Connects over TCP; packets travel back to back in the stream.
         * @param host the server's host
         * @param port the server's TCP port
         * @return this builder
         */
        public Builder tcp(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            this.webSocketUri = null;
            return this;
        }

        /**
         * Connects over WebSocket; one packet per binary frame.
         * @param uri a {@code ws://host:port/path} URI, or {@code wss://} with {@link #tls(SSLContext)}
         * @return this builder
         */
        public Builder websocket(URI uri) {
            Objects.requireNonNull(uri, "uri");
            boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
            if (!(secure || "ws".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("expected a ws:// or wss://host:port/path URI, got " + uri);
            }
            this.webSocketUri = uri;
            this.host = uri.getHost();
            this.port = uri.getPort() < 0 ? (secure ? 443 : 80) : uri.getPort();
            if (secure && sslContext == null) {
                tls(defaultSslContext());
            }
            return this;
        }

        /**
         * Speaks TLS (TCP) or wss (WebSocket) with the given context; the server's host name is verified
         * unless {@link #verifyHostname(boolean)} turns that off.
         * @param context trusts the server's certificate
         * @return this builder
         */
        public Builder tls(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * @param verify whether the server certificate must name the host connected to (default true)
         * @return this builder
         */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        private static SSLContext defaultSslContext() {
            try {
                return SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context", e);
            }
        }

        /**
         * @param user the {@code user} part of the handshake, seen by the server's handshake validators; {@code null} for none
         * @return this builder
         */
        public Builder handshakeUser(@Nullable Map<String, Object> user) {
            this.handshakeUser = user == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(user));
            return this;
        }

        /**
         * @param version {@code sys.clientVersion} of the handshake, default {@code 0.0.0}
         * @return this builder
         */
        public Builder clientVersion(String version) {
            this.clientVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * @param buildNumber {@code sys.clientBuildNumber} of the handshake, default {@code 0}
         * @return this builder
         */
        public Builder clientBuildNumber(String buildNumber) {
            this.clientBuildNumber = Objects.requireNonNull(buildNumber, "buildNumber");
            return this;
        }

        /**
         * @param timeout how long a request (and the handshake) waits for its answer, default 5 s
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            requirePositive(timeout, "requestTimeout");
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * @param timeout how long the TCP connect and the WebSocket upgrade may take, default 10 s
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            requirePositive(timeout, "connectTimeout");
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * @param enabled send a Heartbeat every interval the server announced, after the HandshakeAck;
         *                default true
         * @return this builder
         */
        public Builder heartbeats(boolean enabled) {
            this.heartbeats = enabled;
            return this;
        }

        /**
         * @param enabled offer the permessage-deflate WebSocket extension in the handshake, as browsers and
         *                Node's ws do, and use it when the server accepts it; default false (WebSocket only)
         * @return this builder
         */
        public Builder webSocketCompression(boolean enabled) {
            this.webSocketCompression = enabled;
            return this;
        }

        /**
         * @param enabled send routes found in the server's dictionary as 2-byte codes; default true.
         *                Pushes with route codes are decoded either way.
         * @return this builder
         */
        public Builder useRouteDictionary(boolean enabled) {
            this.useRouteDictionary = enabled;
            return this;
        }

        /**
         * @param enabled zlib-deflate the bodies of requests and notifies when that makes them smaller
         *                (flag 0x10); default false
         * @return this builder
         */
        public Builder compressData(boolean enabled) {
            this.compressData = enabled;
            return this;
        }

        /**
         * @param serializer the serializer for payloads; default: the one the server announces in the
         *                   handshake ({@code json} or {@code protobuf})
         * @return this builder
         */
        public Builder serializer(Serializer serializer) {
            this.serializer = serializer;
            return this;
        }

        /**
         * @param group a shared NIO event loop group, not closed by the client; default: each client
         *              owns a 1-thread group that closes with it
         * @return this builder
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.eventLoopGroup = group;
            return this;
        }

        /**
         * @param bytes the largest packet body accepted from the server (and inflated body size),
         *              at most and by default 16 MiB - 1; a larger packet closes the connection
         * @return this builder
         */
        public Builder maxPacketSize(int bytes) {
            if (bytes < 0 || bytes > Packet.MAX_BODY_LENGTH) {
                throw new IllegalArgumentException("maxPacketSize must be within 0.." + Packet.MAX_BODY_LENGTH);
            }
            this.maxPacketSize = bytes;
            return this;
        }

        /**
         * @return a new, not yet connected client
         * @throws IllegalStateException when no transport was chosen
         */
        public PitayaClient build() {
            if (host == null) {
                throw new IllegalStateException("choose a transport: tcp(host, port) or websocket(uri)");
            }
            return new PitayaClient(copy());
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.host = host;
            copy.port = port;
            copy.webSocketUri = webSocketUri;
            copy.sslContext = sslContext;
            copy.verifyHostname = verifyHostname;
            copy.handshakeUser = handshakeUser;
            copy.clientVersion = clientVersion;
            copy.clientBuildNumber = clientBuildNumber;
            copy.requestTimeout = requestTimeout;
            copy.connectTimeout = connectTimeout;
            copy.heartbeats = heartbeats;
            copy.useRouteDictionary = useRouteDictionary;
            copy.compressData = compressData;
            copy.serializer = serializer;
            copy.eventLoopGroup = eventLoopGroup;
            copy.maxPacketSize = maxPacketSize;
            copy.webSocketCompression = webSocketCompression;
            return copy;
        }
    }
}
