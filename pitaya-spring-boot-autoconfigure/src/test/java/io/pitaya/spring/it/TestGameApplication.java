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

    @Bean
    HandshakeValidator bannedUsersValidator() {
        return (handshake, address) -> {
            if (Boolean.TRUE.equals(handshake.user().get("banned"))) {
                throw new PitayaException(ErrorCodes.BAD_REQUEST, "banned");
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
            public void onBind(Session session) {
                events.add("bind:" + session.uid());
            }

            @Override
            public void onClose(Session session) {
                events.add("close:" + session.id());
            }
        };
    }
}
