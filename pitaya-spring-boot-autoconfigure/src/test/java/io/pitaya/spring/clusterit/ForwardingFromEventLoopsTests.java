package io.pitaya.spring.clusterit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pitaya.PitayaException;
import io.pitaya.client.PitayaClient;
import io.pitaya.spring.internal.cluster.kafka.KafkaRpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A frontend routing with the default router forwards an idle session's messages for other server types from the
 * connection's event loop, through the RPC producer that never blocks: no hand-off to a handler thread and back. The
 * session's order holds across those and the messages that run on handler threads (local routes, a session that
 * already has a message running), and each forward carries the session data of its moment.
 */
class ForwardingFromEventLoopsTests {

    static InJvmCluster cluster;
    static ConfigurableApplicationContext backend;
    static ConfigurableApplicationContext frontend;
    final List<PitayaClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        cluster = new InJvmCluster("test.shard-router=false");
        backend = cluster.backend("room-e");
        frontend = cluster.frontend("connector-e");
        String backendInbox = backend.getBean(KafkaRpc.class).inboxTopic();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> frontend.getBean(KafkaRpc.class).fetchedTopics().contains(backendInbox));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PitayaClient::close);
    }

    PitayaClient connect() throws Exception {
        PitayaClient client = PitayaClient.builder().tcp("127.0.0.1", InJvmCluster.tcpPort(frontend))
                .requestTimeout(Duration.ofSeconds(8)).build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        return client;
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anIdleSessionsRequestsAreSentByTheEventLoop() throws Exception {
        PitayaClient client = connect();
        // The session opens on a handler thread once the HandshakeAck arrives: a request right behind it runs on that
        // thread, which holds the session already. Not counted.
        assertThat(await(client.request("room.room.whoami", new byte[0], Map.class))).containsKey("server");
        KafkaRpc rpc = frontend.getBean(KafkaRpc.class);
        long sentBefore = rpc.sentWithoutBlocking();
        long handedOverBefore = rpc.handedOverToLateSends();

        for (int i = 0; i < 30; i++) {
            // Each sent the moment the one before is answered: the session's mailbox may still be held by the thread
            // that wrote that answer; the request then waits in the mailbox and gets its turn on the event loop.
            assertThat(await(client.request("room.room.echo", Map.of("seq", i), Map.class))).isEqualTo(Map.of("seq", i));
        }

        assertThat(rpc.handedOverToLateSends()).as("none needed a thread that may block").isEqualTo(handedOverBefore);
        assertThat(rpc.sentWithoutBlocking() - sentBefore).as("forwards sent by the event loop").isEqualTo(30);
    }

    @Test
    void pipelinedForwardsAreSentByTheEventLoopOneAfterAnotherInOrder() throws Exception {
        PitayaClient client = connect();
        assertThat(await(client.request("room.room.whoami", new byte[0], Map.class))).containsKey("server"); // the session is open
        KafkaRpc rpc = frontend.getBean(KafkaRpc.class);
        long sentBefore = rpc.sentWithoutBlocking();
        List<CompletableFuture<Map>> answers = new ArrayList<>();
        List<Integer> arrivals = new CopyOnWriteArrayList<>();

        for (int i = 0; i < 50; i++) {
            int seq = i;
            answers.add(client.request("room.room.echo", Map.of("seq", i), Map.class).whenComplete((a, e) -> arrivals.add(seq)));
        }
        for (int i = 0; i < answers.size(); i++) {
            assertThat(await(answers.get(i))).isEqualTo(Map.of("seq", i));
        }

        assertThat(arrivals).as("answers in the order asked").isSorted().hasSize(50);
        // The first finds the session idle; each next one waits in the mailbox for the answer before it, then is sent
        // from the event loop too, not from a handler thread.
        assertThat(rpc.sentWithoutBlocking() - sentBefore).as("forwards sent by the event loop").isEqualTo(50);
    }

    @Test
    void aForwardAnsweredBeforeTheEventLoopReturnsIsHandledOnce() throws Exception {
        PitayaClient client = connect();
        assertThat(await(client.request("room.room.whoami", new byte[0], Map.class))).containsKey("server"); // the session is open
        MeterRegistry meters = frontend.getBean(MeterRegistry.class);
        long answeredBefore = answered(meters);

        // No server of that type: the forward fails at once, answered before the event loop leaves it (as a fast
        // backend's answer may be on a busy box). Taken for declined, the message would run again on a handler thread.
        for (int i = 0; i < 10; i++) {
            CompletableFuture<Map> answer = client.request("nosuchtype.any.route", Map.of("seq", i), Map.class);
            assertThatThrownBy(() -> await(answer)).hasCauseInstanceOf(PitayaException.class);
        }
        assertThat(await(client.request("room.room.whoami", new byte[0], Map.class))).containsKey("server"); // after any second run

        assertThat(answered(meters) - answeredBefore).as("messages handled").isEqualTo(11);
    }

    private static long answered(MeterRegistry meters) {
        return meters.find("pitaya.handler.response.time").timers().stream().mapToLong(Timer::count).sum();
    }

    @Test
    void pipelinedMessagesKeepTheirOrderAcrossLocalRoutesAndForwardsFromTheEventLoop() throws Exception {
        PitayaClient client = connect();
        List<CompletableFuture<Map>> answers = new ArrayList<>();
        List<Integer> arrivals = new CopyOnWriteArrayList<>();
        // Every third message sets the session data on the frontend (a local handler, on a handler thread); the two after
        // it are forwarded, and the backend answers with the session data that came with them.
        for (int i = 0; i < 90; i++) {
            int seq = i;
            CompletableFuture<Map> answer = i % 3 == 0
                    ? client.request("connector.setSessionData", Map.of("n", i), Map.class)
                    : client.request("room.room.whoami", new byte[0], Map.class);
            answers.add(answer.whenComplete((a, e) -> arrivals.add(seq)));
        }
        for (int i = 0; i < answers.size(); i++) {
            Map<?, ?> answer = await(answers.get(i));
            Map<?, ?> data = i % 3 == 0 ? answer : (Map<?, ?>) answer.get("data");
            assertThat(data.get("n")).as("message %d saw the data set by message %d", i, i - i % 3).isEqualTo(i - i % 3);
        }
        assertThat(arrivals).as("answers in the order asked").isSorted().hasSize(90);
    }

    @Test
    void aLocalMessageRightAfterAForwardFromTheEventLoopWaitsForItsAnswer() throws Exception {
        PitayaClient client = connect();
        KafkaRpc rpc = frontend.getBean(KafkaRpc.class);
        long sentBefore = rpc.sentWithoutBlocking();
        for (int i = 0; i < 20; i++) {
            // The forward finds the session idle and goes from the event loop; the local handler behind it answers in
            // microseconds, the forward after a Kafka round trip: the local one must still wait, and answer second.
            List<String> arrivals = new CopyOnWriteArrayList<>();
            CompletableFuture<Map> forwarded = client.request("room.room.whoami", new byte[0], Map.class)
                    .whenComplete((a, e) -> arrivals.add("forwarded"));
            CompletableFuture<Map> local = client.request("connector.setSessionData", Map.of("n", i), Map.class)
                    .whenComplete((a, e) -> arrivals.add("local"));
            Map<?, ?> data = (Map<?, ?>) await(forwarded).get("data");
            await(local);
            assertThat(arrivals).as("round %d", i).containsExactly("forwarded", "local");
            assertThat(data.get("n")).as("the forward carried the data of its moment").isEqualTo(i == 0 ? null : i - 1);
        }
        // Most forwards find the session idle; one that arrives while the handler thread that ran the local message
        // before it still holds the session runs on that thread, which is awake already.
        assertThat(rpc.sentWithoutBlocking() - sentBefore).as("forwards sent by the event loop").isBetween(10L, 20L);
    }

    @Test
    void notifiesAreForwardedFromTheEventLoopToo() throws Exception {
        PitayaClient client = connect();
        KafkaRpc rpc = frontend.getBean(KafkaRpc.class);
        java.util.concurrent.BlockingQueue<Map> pushes = new java.util.concurrent.LinkedBlockingQueue<>();
        client.onPush("onTold", Map.class, pushes::add);
        assertThat(await(client.request("room.room.whoami", new byte[0], Map.class))).containsKey("server"); // the session is open
        long sentBefore = rpc.sentWithoutBlocking();

        for (int i = 0; i < 10; i++) {
            client.notify("room.room.tell", Map.of("hello", i));
            // The push comes before the backend's answer to the notify, which the session waits for: the next notify may
            // wait in the mailbox, then goes from the event loop all the same.
            assertThat(pushes.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.of("hello", i));
        }
        assertThat(rpc.sentWithoutBlocking() - sentBefore).as("sent by the event loop").isEqualTo(10);
    }
}
