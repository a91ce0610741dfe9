package io.pitaya.spring.it;

import java.util.Map;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.spring.dispatch.HandlerInterceptor;
import io.pitaya.spring.session.HandshakeValidator;
import io.pitaya.spring.session.Session;
import io.pitaya.spring.session.SessionListener;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The game the behaviour tests play against: components in this package plus hooks. */
@SpringBootApplication
public class TestGameApplication {

    /** Names of the threads that ran a slow validation. */
    public static final java.util.Queue<String> VALIDATOR_THREADS = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Bean
    HandshakeValidator bannedUsersValidator() {
        return (handshake, address) -> {
            if (Boolean.TRUE.equals(handshake.user().get("banned"))) {
                throw new PitayaException(ErrorCodes.BAD_REQUEST, "banned");
            }
            if (handshake.user().get("validatorSleepsMillis") instanceof Number millis) {
                // Like a validator that checks a token in a slow database.
                try {
                    Thread.sleep(millis.longValue());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                VALIDATOR_THREADS.add(Thread.currentThread().getName());
            }
        };
    }

    @Bean
    HandlerInterceptor forbiddenRoutes() {
        return new HandlerInterceptor() {
            @Override
            public Object beforeHandler(Session session, String route, Object payload) {
                if (payload instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("forbidden"))) {
                    throw new PitayaException("GAME-403", "forbidden by interceptor");
                }
                return payload;
            }
        };
    }

    /**
     * pitaya's Netty WebSocket acceptor on a free port beside the Spring one, so that the behaviour tests run
     * over both (Transport.NETTY_WS); configured from the same properties as the auto-configured one, which a
     * test with pitaya.acceptor.websocket.server=netty gets instead.
     */
    @Bean(destroyMethod = "shutdown")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "pitaya.acceptor.websocket.server", havingValue = "servlet", matchIfMissing = true)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty(name = "pitaya.server.frontend", matchIfMissing = true)
    io.pitaya.spring.internal.acceptor.websocket.NettyWebSocketAcceptor nettyWebSocketAcceptor(
            io.pitaya.spring.internal.acceptor.ConnectionManager connections, io.pitaya.spring.autoconfigure.PitayaProperties properties) {
        io.pitaya.spring.autoconfigure.AcceptorProperties.WebSocket websocket = properties.getAcceptor().getWebsocket();
        return new io.pitaya.spring.internal.acceptor.websocket.NettyWebSocketAcceptor(connections, "127.0.0.1", 0, websocket.getPath(),
                java.util.List.of(websocket.getAllowedOrigins()), websocket.isCompression(),
                (int) properties.getAcceptor().getOutboundBufferLimit().toBytes(), null);
    }

    @Bean
    Events events() {
        return new Events();
    }

    @Bean
    org.springframework.context.ApplicationListener<org.springframework.boot.availability.AvailabilityChangeEvent<?>> readinessRecorder(Events events) {
        return event -> {
            if (event.getState() == org.springframework.boot.availability.ReadinessState.REFUSING_TRAFFIC) {
                events.add("readiness:" + event.getState());
            }
        };
    }

    @Bean
    SessionListener recordingListener(Events events) {
        return new SessionListener() {
            @Override
            public void beforeBind(Session session, String uid) {
                if (uid.startsWith("banned-")) {
                    throw new PitayaException("GAME-BANNED", "uid " + uid + " is banned");
                }
            }

            @Override
            public void onBind(Session session) {
                events.add("bind:" + session.uid());
            }

            @Override
            public void onClose(Session session) {
                events.add("closed-because:" + session.id() + ":" + session.closeReason().kind() + ":" + session.closeReason().code());
                events.add("close:" + session.id());
            }
        };
    }
}
