package io.pitaya.samples.tadpole;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.acceptor.tcp.TcpAcceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** nano's tadpole routes and message shapes, with the Java client over TCP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "pitaya.acceptor.tcp.port=0")
class TadpoleWorldTest {

    @Autowired
    TcpAcceptor tcp;

    final java.util.List<PitayaClient> clients = new java.util.ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(PitayaClient::close);
    }

    PitayaClient tadpole(BlockingQueue<String> seen) throws Exception {
        PitayaClient client = PitayaClient.builder().tcp("127.0.0.1", tcp.port()).requestTimeout(Duration.ofSeconds(5)).build();
        clients.add(client);
        client.onPush("update", Map.class, u -> seen.add("update " + u.get("id") + " " + u.get("x") + " " + u.get("name")));
        client.onPush("message", Map.class, m -> seen.add("message " + m.get("id") + " " + m.get("message")));
        client.onPush("leave", Map.class, l -> seen.add("leave " + l.get("id")));
        client.connect().get(5, TimeUnit.SECONDS);
        Map<?, ?> login = client.request("Manager.Login", Map.of("username", "u", "cipher", "c", "timestamp", 1), Map.class).get(5, TimeUnit.SECONDS);
        assertThat(login.get("status")).isEqualTo(1);
        Map<?, ?> entered = client.request("World.Enter", Map.of(), Map.class).get(5, TimeUnit.SECONDS);
        assertThat(entered.get("id")).isEqualTo(login.get("id"));
        return client;
    }

    @Test
    void updatesAndMessagesReachEveryoneWithTheSendersOwnIdAndLeavingIsAnnounced() throws Exception {
        BlockingQueue<String> aSees = new LinkedBlockingQueue<>();
        BlockingQueue<String> bSees = new LinkedBlockingQueue<>();
        PitayaClient a = tadpole(aSees);
        PitayaClient b = tadpole(bSees);
        Object aId = a.request("World.Enter", Map.of(), Map.class).get(5, TimeUnit.SECONDS).get("id");

        // The id a client writes is not trusted: the push carries its session's.
        a.notify("World.Update", Map.of("id", 999, "x", 12.5, "y", 3, "name", "GUEST-a", "momentum", 1, "angle", 0.5));
        assertThat(bSees.poll(5, TimeUnit.SECONDS)).isEqualTo("update " + aId + " 12.5 GUEST-a");
        assertThat(aSees.poll(5, TimeUnit.SECONDS)).as("the sender too, as in nano").isEqualTo("update " + aId + " 12.5 GUEST-a");

        a.notify("World.Message", Map.of("message", "x".repeat(500)));
        assertThat(bSees.poll(5, TimeUnit.SECONDS)).isEqualTo("message " + aId + " " + "x".repeat(World.MAX_MESSAGE));

        a.close();
        assertThat(bSees.poll(5, TimeUnit.SECONDS)).isEqualTo("leave " + aId);
    }
}
