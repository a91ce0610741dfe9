package io.pitaya.client;

import java.net.URI;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslHandler;
import io.pitaya.protocol.Packet;
import org.jspecify.annotations.Nullable;

/**
 * The transport setup of a client: the Netty bootstrap and the pipeline below the packets, TCP or WebSocket
 * (one packet per binary frame), optionally TLS.
 *
 * @param host the server's host
 * @param port the server's port
 * @param webSocketUri the WebSocket endpoint, {@code null} for TCP
 * @param webSocketCompression whether to offer permessage-deflate
 * @param sslContext TLS, {@code null} for none
 * @param verifyHostname whether TLS checks the server's name
 * @param maxPacketSize the largest packet body accepted
 * @param connectTimeout how long the connect and the WebSocket upgrade may take
 */
record ClientTransport(String host, int port, @Nullable URI webSocketUri, boolean webSocketCompression,
                       @Nullable SSLContext sslContext, boolean verifyHostname, int maxPacketSize, Duration connectTimeout) {

    /** @return whether the client talks WebSocket (the connection is open after the upgrade, not the connect) */
    boolean webSocket() {
        return webSocketUri != null;
    }

    /**
     * @param group the event loops
     * @param handler the client's handler, last in the pipeline, above the packet codec
     * @return a bootstrap for one connection
     */
    Bootstrap bootstrap(EventLoopGroup group, ChannelHandler handler) {
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        initPipeline(ch.pipeline(), handler);
                    }
                });
    }

    private void initPipeline(ChannelPipeline pipeline, ChannelHandler handler) {
        if (sslContext != null) {
            SSLEngine engine = sslContext.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
            engine.setSSLParameters(parameters);
            pipeline.addLast("tls", new SslHandler(engine));
        }
        if (webSocketUri != null) {
            pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024));
            if (webSocketCompression) {
                pipeline.addLast(new WebSocketClientCompressionHandler(Math.max(64 * 1024, maxPacketSize + Packet.HEADER_LENGTH)));
            }
            pipeline.addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                            .webSocketUri(webSocketUri)
                            .version(WebSocketVersion.V13)
                            .allowExtensions(webSocketCompression) // frames with RSV1 set: compressed
                            .maxFramePayloadLength(Math.max(64 * 1024, maxPacketSize + Packet.HEADER_LENGTH))
                            .handshakeTimeoutMillis(connectTimeout.toMillis())
                            .build()),
                    WebSocketBinaryCodec.INSTANCE);
        }
        pipeline.addLast(new PacketFrameDecoder(maxPacketSize), PacketEncoder.INSTANCE, handler);
    }
}
