package io.pitaya.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslHandler;
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
    private static final Packet HEARTBEAT = Packet.of(PacketType.HEARTBEAT);
    private static final Packet HANDSHAKE_ACK = Packet.of(PacketType.HANDSHAKE_ACK);

    private final Builder config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;

    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> openFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final ConcurrentMap<Long, PendingRequest> pending = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, List<Consumer<byte[]>>> pushListeners = new ConcurrentHashMap<>();
    private final List<Consumer<Packet>> packetListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> kickListeners = new CopyOnWriteArrayList<>();
    // Guarded by this; null once the close listeners have run.
    private List<Runnable> closeListeners = new ArrayList<>();

    private volatile Channel channel;
    private volatile boolean connected;
    private volatile Throwable closeCause;
    private volatile MessageCodec encoder;
    private volatile MessageCodec decoder;
    private volatile Serializer serializer;
    private volatile HandshakeResponse handshakeResponse;
    private volatile long lastHeartbeatReceivedNanos;
    // Touched on the event loop only.
    private PendingHandshake pendingHandshake;
    private ScheduledFuture<?> heartbeatTask;

    private PitayaClient(Builder config) {
        this.config = config;
        this.ownsGroup = config.eventLoopGroup == null;
        this.group = ownsGroup ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : config.eventLoopGroup;
        MessageCodec plain = new MessageCodec(RouteDictionary.empty(), config.compressData, config.maxPacketSize);
        this.encoder = plain;
        this.decoder = plain;
        this.serializer = config.serializer;
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
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        initPipeline(ch.pipeline());
                    }
                });
        try {
            var connecting = bootstrap.connect(config.host, config.port);
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
                } else if (config.webSocketUri == null) {
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
        long id = nextRequestId.getAndIncrement();
        Packet packet;
        try {
            packet = new Packet(PacketType.DATA, encoder.encode(Message.request(id, route, body)));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        PendingRequest request = new PendingRequest();
        pending.put(id, request);
        // The close path drains the map after setting the flag; checking after put closes the race.
        if (closed.get()) {
            pending.remove(id);
            request.future.completeExceptionally(closedException());
            return request.future;
        }
        try {
            request.timeout = ch.eventLoop().schedule(() -> {
                if (pending.remove(id, request)) {
                    request.future.completeExceptionally(new TimeoutException(
                            "request " + id + " to " + route + " got no response within " + timeout));
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(id);
            request.future.completeExceptionally(closedException());
            return request.future;
        }
        ch.writeAndFlush(packet).addListener(f -> {
            if (!f.isSuccess() && pending.remove(id, request)) {
                request.cancelTimeout();
                request.future.completeExceptionally(new ClientClosedException("request " + id + " could not be sent", f.cause()));
            }
        });
        return request.future;
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
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(listener, "listener");
        pushListeners.computeIfAbsent(route, r -> new CopyOnWriteArrayList<>()).add(listener);
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
        packetListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @param listener called on the event loop when the server sends a Kick (it closes right after) */
    public void onKick(Runnable listener) {
        kickListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Runs a listener once when the connection closes (or could not be opened), after pending requests
     * have failed; right away when it is already closed.
     * @param listener the listener
     */
    public void onClose(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            if (closeListeners != null) {
                closeListeners.add(listener);
                return;
            }
        }
        runListener(listener, "close");
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
        return lastHeartbeatReceivedNanos;
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
        return pending.size();
    }

    private void initPipeline(ChannelPipeline pipeline) {
        if (config.sslContext != null) {
            SSLEngine engine = config.sslContext.createSSLEngine(config.host, config.port);
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(config.verifyHostname ? "HTTPS" : null);
            engine.setSSLParameters(parameters);
            pipeline.addLast("tls", new SslHandler(engine));
        }
        if (config.webSocketUri != null) {
            pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024));
            if (config.webSocketCompression) {
                pipeline.addLast(new WebSocketClientCompressionHandler(Math.max(64 * 1024, config.maxPacketSize + Packet.HEADER_LENGTH)));
            }
            pipeline.addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                            .webSocketUri(config.webSocketUri)
                            .version(WebSocketVersion.V13)
                            .allowExtensions(config.webSocketCompression) // frames with RSV1 set: compressed
                            .maxFramePayloadLength(Math.max(64 * 1024, config.maxPacketSize + Packet.HEADER_LENGTH))
                            .handshakeTimeoutMillis(config.connectTimeout.toMillis())
                            .build()),
                    WebSocketBinaryCodec.INSTANCE);
        }
        pipeline.addLast(new PacketFrameDecoder(config.maxPacketSize), PacketEncoder.INSTANCE, new ClientHandler());
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
            startHeartbeats(ch, response.heartbeat());
        }
        handshake.result.complete(response);
    }

    private void startHeartbeats(Channel ch, Duration interval) {
        if (!config.heartbeats || interval.isZero() || interval.isNegative() || heartbeatTask != null) {
            return;
        }
        long nanos = interval.toNanos();
        heartbeatTask = ch.eventLoop().scheduleAtFixedRate(() -> ch.writeAndFlush(HEARTBEAT, ch.voidPromise()),
                nanos, nanos, TimeUnit.NANOSECONDS);
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
            case RESPONSE -> responseReceived(message);
            case PUSH -> pushReceived(message);
            // Requests and notifies travel to the server only; nothing listens for them here.
            default -> LOG.log(System.Logger.Level.DEBUG, "ignoring {0} sent by the server", message);
        }
    }

    private void responseReceived(Message message) {
        PendingRequest request = pending.remove(message.id());
        if (request == null) {
            // Timed out already, or an id this client never sent.
            return;
        }
        request.cancelTimeout();
        if (!message.error()) {
            request.future.complete(message.data());
            return;
        }
        try {
            request.future.completeExceptionally(serializer().unmarshalError(message.data()));
        } catch (RuntimeException e) {
            request.future.completeExceptionally(e);
        }
    }

    private void pushReceived(Message message) {
        List<Consumer<byte[]>> listeners = pushListeners.get(message.route());
        if (listeners == null) {
            return;
        }
        for (Consumer<byte[]> listener : listeners) {
            try {
                listener.accept(message.data());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "push listener for " + message.route() + " failed", e);
            }
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
        for (Long id : pending.keySet()) {
            PendingRequest request = pending.remove(id);
            if (request != null) {
                request.cancelTimeout();
                request.future.completeExceptionally(closedException());
            }
        }
        List<Runnable> listeners;
        synchronized (this) {
            listeners = closeListeners;
            closeListeners = null;
        }
        listeners.forEach(listener -> runListener(listener, "close"));
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
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
        }
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

    private static void runListener(Runnable listener, String what) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, what + " listener failed", e);
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
                lastHeartbeatReceivedNanos = System.nanoTime();
            }
            for (Consumer<Packet> listener : packetListeners) {
                try {
                    listener.accept(packet);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "packet listener failed", e);
                }
            }
            switch (packet.type()) {
                case HANDSHAKE -> handshakeAnswered(ctx.channel(), packet.body());
                case DATA -> dataReceived(ctx.channel(), packet.body());
                case KICK -> kickListeners.forEach(listener -> runListener(listener, "kick"));
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

    /** A request waiting for its response, and the timer that gives up on it. */
    private static final class PendingRequest {
        final CompletableFuture<byte[]> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        void cancelTimeout() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
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

        private String host;
        private int port;
        private URI webSocketUri;
        private Map<String, Object> handshakeUser = Map.of();
        private String clientVersion = "0.0.0";
        private String clientBuildNumber = "0";
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private boolean heartbeats = true;
        private boolean useRouteDictionary = true;
        private boolean compressData;
        private Serializer serializer;
        private EventLoopGroup eventLoopGroup;
        private int maxPacketSize = Packet.MAX_BODY_LENGTH;
        private SSLContext sslContext;
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
         * @param user the {@code user} part of the handshake, seen by the server's handshake validators
         * @return this builder
         */
        public Builder handshakeUser(Map<String, Object> user) {
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
