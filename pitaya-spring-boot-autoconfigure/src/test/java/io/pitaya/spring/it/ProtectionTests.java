package io.pitaya.spring.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.pitaya.client.PitayaClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import static io.pitaya.spring.it.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-connection rate limit (drop and close) and the per-acceptor connection cap. */
class ProtectionTests {

    abstract static class WithServer extends ServerTestSupport {

        /** Sends {@code count} requests at once and counts the answered ones. */
        int answered(PitayaClient client, int count) throws InterruptedException {
            List<CompletableFuture<String>> replies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                replies.add(client.request("echo.noArgs", new byte[0], String.class, Duration.ofSeconds(2)));
            }
            int ok = 0;
            for (CompletableFuture<String> reply : replies) {
                try {
                    reply.get(5, TimeUnit.SECONDS);
                    ok++;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // dropped
                }
            }
            return ok;
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "pitaya.server.type=game",
            "pitaya.acceptor.tcp.port=0",
            "pitaya.acceptor.rate-limit.enabled=true",
            "pitaya.acceptor.rate-limit.limit=5",
            "pitaya.acceptor.rate-limit.interval=10s",
            "pitaya.acceptor.tcp.max-connections=3"
    })
    class DropAndCap extends WithServer {

        @Test
        void messagesOverTheRateAreDroppedAndTheConnectionStays() throws Exception {
            PitayaClient client = server.connect(Transport.TCP);

            assertThat(answered(client, 12)).as("a burst of 12 with a limit of 5 per 10 s").isEqualTo(5);
            assertThat(client.isConnected()).isTrue();
            PitayaClient other = server.connect(Transport.WS);
            assertThat(await(other.request("echo.noArgs", new byte[0], String.class))).as("other connections have their own bucket")
                    .isEqualTo("no args");
        }

        @Test
        void connectionsOverTheCapAreRefusedUntilOneLeaves() throws Exception {
            List<PitayaClient> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(server.connect(Transport.TCP));
            }
            PitayaClient refused = server.track(server.builder(Transport.TCP).requestTimeout(Duration.ofSeconds(2)).build());
            assertThatThrownBy(() -> refused.connect().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(await(server.connect(Transport.WS).request("echo.noArgs", new byte[0], String.class)))
                    .as("the cap is per acceptor").isEqualTo("no args");

            held.get(0).close();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                PitayaClient again = server.track(server.builder(Transport.TCP).requestTimeout(Duration.ofSeconds(2)).build());
                again.connect().get(5, TimeUnit.SECONDS);
            });
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "pitaya.server.type=game",
            "pitaya.acceptor.tcp.port=0",
            "pitaya.acceptor.rate-limit.enabled=true",
            "pitaya.acceptor.rate-limit.limit=3",
            "pitaya.acceptor.rate-limit.interval=10s",
            "pitaya.acceptor.rate-limit.on-exceeded=close"
    })
    class Close extends WithServer {

        @Test
        void aConnectionOverTheRateIsClosed() throws Exception {
            PitayaClient client = server.connect(Transport.TCP);
            CompletableFuture<Void> closed = new CompletableFuture<>();
            client.onClose(() -> closed.complete(null));

            answered(client, 6);

            closed.get(5, TimeUnit.SECONDS);
        }
    }
}
