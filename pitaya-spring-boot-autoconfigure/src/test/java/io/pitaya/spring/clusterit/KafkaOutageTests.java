package io.pitaya.spring.clusterit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.pitaya.PitayaException;
import io.pitaya.client.PitayaClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka gone for good: forwarded requests fail within the RPC timeout, routes that do not use Kafka keep working. The
 * frontend routes with the default router, so it forwards from its event loops while Kafka takes sends (see
 * {@code ForwardingFromEventLoopsTests}); they must not block when it stops.
 */
class KafkaOutageTests {

    static InJvmCluster cluster;
    static ConfigurableApplicationContext backend;
    static ConfigurableApplicationContext frontend;
    static final List<PitayaClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        cluster = new InJvmCluster("test.shard-router=false");
        backend = cluster.backend("room-k");
        frontend = cluster.frontend("connector-k");
    }

    @AfterAll
    static void stop() {
        clients.forEach(PitayaClient::close);
        cluster.close();
    }

    static PitayaClient connect() throws Exception {
        PitayaClient client = PitayaClient.builder().tcp("127.0.0.1", InJvmCluster.tcpPort(frontend))
                .requestTimeout(Duration.ofSeconds(20)).build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void whileKafkaIsDownEveryRequestIsAnsweredAndLocalRoutesStayFast() throws Exception {
        List<PitayaClient> players = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            PitayaClient player = connect();
            assertThat(player.request("room.room.whoami", new byte[0], Map.class).get(10, TimeUnit.SECONDS)).containsKey("server");
            players.add(player);
        }
        PitayaClient local = connect();

        cluster.kafka.destroy();

        List<CompletableFuture<Map>> forwarded = new ArrayList<>();
        long start = System.nanoTime();
        for (int round = 0; round < 3; round++) {
            for (PitayaClient player : players) {
                forwarded.add(player.request("room.room.whoami", new byte[0], Map.class));
            }
        }
        Thread.sleep(300);
        long worstLocal = 0;
        for (int i = 0; i < 10; i++) {
            long t = System.nanoTime();
            assertThat(local.request("connector.uid", new byte[0], String.class).get(10, TimeUnit.SECONDS)).isNotNull();
            worstLocal = Math.max(worstLocal, System.nanoTime() - t);
            Thread.sleep(200);
        }
        int failed = 0;
        for (CompletableFuture<Map> call : forwarded) {
            try {
                call.get(20, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(PitayaException.class);
                failed++;
            }
        }
        long all = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("KAFKA-OUTAGE worst local " + TimeUnit.NANOSECONDS.toMillis(worstLocal) + " ms, forwarded failed " + failed
                + " of " + forwarded.size() + ", all answered after " + all + " ms");
        assertThat(TimeUnit.NANOSECONDS.toMillis(worstLocal)).as("a route that does not use Kafka").isLessThan(1000);
        assertThat(failed).as("no forwarded request succeeds without Kafka, and none is left unanswered").isEqualTo(forwarded.size());

        long stopping = System.nanoTime();
        frontend.close();
        backend.close();
        long stopped = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopping);
        System.out.println("KAFKA-OUTAGE both servers stopped in " + stopped + " s");
        assertThat(stopped).as("stopping without Kafka stays within the 30 s shutdown phase").isLessThan(30);
    }
}
