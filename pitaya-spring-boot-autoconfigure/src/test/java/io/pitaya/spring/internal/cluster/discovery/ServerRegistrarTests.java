package io.pitaya.spring.internal.cluster.discovery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.pitaya.spring.cluster.ServerInfo;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class ServerRegistrarTests {

    static final ServerInfo SELF = new ServerInfo("room-1", "room", false, "h", Map.of());

    /** A registry whose deregistration never returns, as a client retrying against a registry that is gone. */
    static final class Gone implements ServiceRegistry<Registration> {
        final CountDownLatch never = new CountDownLatch(1);

        @Override
        public void register(Registration registration) {
        }

        @Override
        public void deregister(Registration registration) {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
        }

        @Override
        public void setStatus(Registration registration, String status) {
        }

        @Override
        public <T> T getStatus(Registration registration) {
            return null;
        }
    }

    @Test
    void aRegistryThatIsGoneDoesNotHoldTheStop() {
        ServerRegistrar<Registration> registrar = new ServerRegistrar<>(new Gone(), server -> new ServerRegistration(server, 0), SELF,
                Duration.ofSeconds(5), Duration.ofMillis(300));
        registrar.start();

        long started = System.nanoTime();
        registrar.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the deregistration timeout, no drain delay")
                .isLessThan(Duration.ofSeconds(3));
        assertThat(registrar.isRunning()).isFalse();
    }
}
