package io.pitaya.spring.autoconfigure;

import java.util.List;

import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.acceptor.netty.ServerTls;
import io.pitaya.spring.internal.acceptor.websocket.NettyWebSocketAcceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The WebSocket acceptor on pitaya's own Netty server ({@code pitaya.acceptor.websocket.server=netty}), on
 * frontends with {@code pitaya.acceptor.websocket.enabled} (default true). Needs {@code netty-codec-http}
 * (in the starter); start-up fails with a clear message without it.
 */
@AutoConfiguration(after = PitayaAutoConfiguration.class,
        afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnPitayaAcceptor("websocket")
@ConditionalOnProperty(name = "pitaya.acceptor.websocket.server", havingValue = "netty")
public final class PitayaNettyWebSocketAutoConfiguration {

    static final String CODEC = "io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = CODEC)
    static final class NettyWebSocket {

        @Bean(destroyMethod = "shutdown")
        @ConditionalOnMissingBean
        NettyWebSocketAcceptor pitayaNettyWebSocketAcceptor(PitayaProperties properties, ConnectionManager connections,
                                                            ObjectProvider<SslBundles> sslBundles) {
            AcceptorProperties acceptor = properties.getAcceptor();
            AcceptorProperties.WebSocket websocket = acceptor.getWebsocket();
            ServerTls ssl = SslBundleTls.resolve("pitaya.acceptor.websocket.ssl-bundle", websocket.getSslBundle(), sslBundles);
            NettyWebSocketAcceptor netty = new NettyWebSocketAcceptor(connections, websocket.getHost(), websocket.getPort(), websocket.getPath(),
                    List.of(websocket.getAllowedOrigins()), websocket.isCompression(),
                    (int) acceptor.getOutboundBufferLimit().toBytes(), ssl);
            netty.setProxyProtocol(websocket.isProxyProtocol());
            return netty;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(CODEC)
    static final class CodecMissing {

        @Bean
        Object pitayaNettyWebSocketCodecMissing() {
            throw new IllegalStateException("pitaya.acceptor.websocket.server=netty needs io.netty:netty-codec-http on the "
                    + "class path (pitaya-spring-boot-starter brings it)");
        }
    }
}
