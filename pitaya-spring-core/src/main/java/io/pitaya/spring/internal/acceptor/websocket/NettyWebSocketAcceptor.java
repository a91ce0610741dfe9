package io.pitaya.spring.internal.acceptor.websocket;

import java.util.List;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.pitaya.protocol.Packet;
import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.acceptor.netty.NettyAcceptor;
import io.pitaya.spring.internal.acceptor.netty.ServerTls;
import org.jspecify.annotations.Nullable;

/**
 * Accepts clients over WebSocket with pitaya's own Netty server on a port of its own, one packet per
 * binary frame, optionally inside TLS. The alternative to the Spring WebSocket acceptor: frames are read,
 * decoded and answered without the servlet container's thread hand-offs (see BENCHMARKS.md, scenario 2).
 *
 * <p>The same protection as on the other acceptors: until the upgrade completes, a request is bounded
 * in size and in time (the handshake timeout); until the client's HandshakeAck, a frame may carry no more
 * than the handshake limit, checked on the frame header before any of its payload is buffered; the
 * packet limit after it.
 */
public class NettyWebSocketAcceptor extends NettyAcceptor {

    /** An upgrade request has no body; its line and headers are bounded by the HTTP codec. */
    private static final int MAX_REQUEST_BYTES = 8192;

    private final ConnectionManager connections;
    private final String path;
    private final WebSocketOrigins origins;
    private final boolean compression;
    private final WebSocketDecoderConfig frames;
    private final WebSocketServerProtocolConfig protocol;

    /**
     * @param connections creates the connections; their limits apply
     * @param host the address to bind, all interfaces when empty
     * @param port the port, 0 for any free one
     * @param path the WebSocket path
     * @param allowedOrigins origins whose pages may connect, "*" for any, empty for the same origin only
     * @param compression whether permessage-deflate may be negotiated
     * @param outboundBufferLimit bytes pending to one client before it is closed as a slow reader
     * @param ssl TLS (wss), or {@code null} for plain ws
     */
    public NettyWebSocketAcceptor(ConnectionManager connections, String host, int port, String path, List<String> allowedOrigins,
                                  boolean compression, int outboundBufferLimit, @Nullable ServerTls ssl) {
        super(host, port, outboundBufferLimit, ssl);
        this.connections = connections;
        this.path = path;
        this.origins = new WebSocketOrigins(allowedOrigins);
        this.compression = compression;
        this.frames = WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(compression)
                // Until the HandshakeAck: NettyWebSocketHandler raises it to the packet limit then.
                .maxFramePayloadLength(Packet.HEADER_LENGTH + connections.limits().handshakeMaxSize())
                .closeOnProtocolViolation(true)
                .withUTF8Validator(false)
                .build();
        this.protocol = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(path)
                // The guard has checked the path; this lets a query string through (/pitaya?token=...).
                .checkStartsWith(true)
                .handshakeTimeoutMillis(connections.handshakeTimeout().toMillis())
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .decoderConfig(frames)
                .build();
    }

    @Override
    public String name() {
        return "websocket";
    }

    @Override
    protected String description() {
        return "WebSocket (Netty) at " + path;
    }

    @Override
    protected void addHandlers(ChannelPipeline pipeline, boolean secure) {
        pipeline.addLast("http", new HttpServerCodec(4096, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES))
                .addLast("http-aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast("upgrade-guard", new WebSocketUpgradeGuard(connections, path, origins, secure,
                        connections.handshakeTimeout().toMillis()));
        if (compression) {
            pipeline.addLast("compression", new WebSocketServerCompressionHandler(Packet.HEADER_LENGTH + connections.limits().maxPacketSize()));
        }
        pipeline.addLast("websocket", new WebSocketServerProtocolHandler(protocol))
                .addLast("connection", new NettyWebSocketHandler(connections, frames));
    }

    /** @return the path of the endpoint */
    public String path() {
        return path;
    }
}
