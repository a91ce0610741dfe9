package io.pitaya.spring.test;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.pitaya.PitayaException;
import io.pitaya.client.PitayaClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PitayaTest} as a game team uses it: the server on free ports, connected clients as parameters. */
@PitayaTest(properties = "pitaya.heartbeat.interval=2s")
class PitayaTestTests {

    @Test
    void injectedClientsAreConnectedAndEachIsAPlayerOfItsOwn(PitayaClient alice, PitayaClient bob) throws Exception {
        assertThat(alice.isConnected()).isTrue();
        assertThat(alice).isNotSameAs(bob);
        BlockingQueue<Map<?, ?>> bobHears = new LinkedBlockingQueue<>();
        bob.onPush("onSay", Map.class, bobHears::add);
        assertThat(alice.request("lobby.join", Map.of("name", "alice"), Map.class).get(5, TimeUnit.SECONDS)).containsEntry("joined", "alice");
        bob.request("lobby.join", Map.of("name", "bob"), Map.class).get(5, TimeUnit.SECONDS);

        alice.notify("lobby.say", Map.of("text", "hi"));

        assertThat(bobHears.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.of("from", "alice", "text", "hi"));
    }

    @Test
    void errorCodesArriveAsExceptions(PitayaClient player) {
        assertThatThrownBy(() -> player.request("lobby.nothing", Map.of(), Map.class).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PitayaException.class)
                .satisfies(e -> assertThat(((PitayaException) e).code()).isEqualTo("PIT-404"));
    }

    @Test
    void moreClientsOverWebSocketOrWithOtherSettings(PitayaClients clients) throws Exception {
        PitayaClient overWebSocket = clients.webSocket();
        PitayaClient withShortTimeout = clients.connect(clients.tcpBuilder().requestTimeout(java.time.Duration.ofSeconds(1)));

        assertThat(overWebSocket.request("lobby.join", Map.of("name", "carol"), Map.class).get(5, TimeUnit.SECONDS)).containsEntry("joined", "carol");
        assertThat(withShortTimeout.request("lobby.join", Map.of("name", "dave"), Map.class).get(5, TimeUnit.SECONDS)).containsEntry("joined", "dave");
    }
}
