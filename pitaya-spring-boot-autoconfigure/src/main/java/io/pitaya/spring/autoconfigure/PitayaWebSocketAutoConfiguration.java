package io.pitaya.spring.autoconfigure;

import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.acceptor.websocket.PitayaWebSocketHandler;
import io.pitaya.spring.internal.acceptor.websocket.WebSocketAcceptor;
import io.pitaya.spring.internal.acceptor.websocket.WebSocketExtensionsFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * The WebSocket acceptor (Spring WebSocket on the HTTP port), on servlet web applications that are
 * frontends with {@code pitaya.acceptor.websocket.enabled} (default true) and
 * {@code pitaya.acceptor.websocket.server=servlet} (the default).
 */
@AutoConfiguration(after = PitayaAutoConfiguration.class)
@ConditionalOnClass(WebSocketConfigurer.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnPitayaAcceptor("websocket")
@ConditionalOnProperty(name = "pitaya.acceptor.websocket.server", havingValue = "servlet", matchIfMissing = true)
@EnableWebSocket
public final class PitayaWebSocketAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PitayaWebSocketHandler pitayaWebSocketHandler(PitayaProperties properties, ConnectionManager connections) {
        AcceptorProperties acceptor = properties.getAcceptor();
        return new PitayaWebSocketHandler(connections, (int) acceptor.getOutboundBufferLimit().toBytes());
    }

    @Bean
    @ConditionalOnMissingBean
    WebSocketAcceptor pitayaWebSocketAcceptor(PitayaWebSocketHandler handler, PitayaProperties properties) {
        return new WebSocketAcceptor(handler, properties.getAcceptor().getWebsocket().getPath());
    }

    /** Without pitaya.acceptor.websocket.compression, no extension (permessage-deflate) is negotiated. */
    @Bean
    @ConditionalOnBooleanProperty(name = "pitaya.acceptor.websocket.compression", havingValue = false, matchIfMissing = true)
    FilterRegistrationBean<WebSocketExtensionsFilter> pitayaWebSocketExtensionsFilter(PitayaProperties properties) {
        FilterRegistrationBean<WebSocketExtensionsFilter> registration = new FilterRegistrationBean<>(new WebSocketExtensionsFilter());
        registration.addUrlPatterns(properties.getAcceptor().getWebsocket().getPath());
        registration.setName("pitayaWebSocketExtensionsFilter");
        return registration;
    }

    @Bean
    WebSocketConfigurer pitayaWebSocketConfigurer(PitayaWebSocketHandler handler, PitayaProperties properties) {
        AcceptorProperties.WebSocket websocket = properties.getAcceptor().getWebsocket();
        return registry -> registry.addHandler(handler, websocket.getPath()).setAllowedOrigins(websocket.getAllowedOrigins());
    }
}
