package io.pitaya.samples.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Message;
import io.pitaya.PitayaException;
import io.pitaya.client.PitayaClient;
import io.pitaya.samples.cluster.protos.AllMembers;
import io.pitaya.samples.cluster.protos.JoinResponse;
import io.pitaya.samples.cluster.protos.NewUser;
import io.pitaya.samples.cluster.protos.RPCMsg;
import io.pitaya.samples.cluster.protos.RPCRes;
import io.pitaya.samples.cluster.protos.Reply;
import io.pitaya.samples.cluster.protos.SendRPCMsg;
import io.pitaya.samples.cluster.protos.SessionData;
import io.pitaya.samples.cluster.protos.UserMessage;
import io.pitaya.spring.test.PitayaClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * pitaya's cluster example as clients see it: the {@code local} profile started the way the README says
 * ({@link ClusterApplication} with {@code --spring.profiles.active=local}), on free ports, and Java clients
 * over TCP and WebSocket calling the connector frontend, which forwards {@code room.*} routes to the room
 * backend over the embedded Kafka broker. Subclasses choose the serializer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterExampleTests {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    ConfigurableApplicationContext cluster;
    ConfigurableApplicationContext frontend;
    PitayaClients clients;

    /** @return the value of {@code spring.profiles.active} */
    abstract String profiles();

    @BeforeAll
    void startCluster() {
        cluster = ClusterApplication.run("--spring.profiles.active=" + profiles(), "--server.port=0", "--pitaya.acceptor.tcp.port=0");
        frontend = cluster.getBean(LocalCluster.Servers.class).frontend();
        clients = PitayaClients.of(frontend);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @Test
    void sessionDataLivesOnTheFrontendAndTravelsWithForwardedRequests() throws Exception {
        Player player = tcpPlayer();

        assertThat(await(player.client.request("connector.setsessiondata", data("level", "12"), Reply.class)))
                .isEqualTo(Reply.newBuilder().setCode(200).setMsg("success").build());
        assertThat(await(player.client.request("connector.getsessiondata", null, SessionData.class))).isEqualTo(data("level", "12"));
        assertThat(await(player.client.request("room.room.getsessiondata", null, SessionData.class)))
                .as("the backend sees the data the frontend sent with the request").isEqualTo(data("level", "12"));

        await(player.client.request("room.room.setsessiondata", data("color", "blue"), Reply.class));
        assertThat(await(player.client.request("connector.getsessiondata", null, SessionData.class)))
                .as("pushToFront replaced the frontend's data").isEqualTo(data("color", "blue"));

        player.client.notify("connector.notifysessiondata", data("mood", "calm"));
        assertThat(await(player.client.request("room.room.getsessiondata", null, SessionData.class)))
                .as("a notify and a later request of one client are handled in order").isEqualTo(data("mood", "calm"));
    }

    @Test
    void joinersSeeEachOtherAndMessagesReachTheWholeRoom() throws Exception {
        Player alice = tcpPlayer();
        alice.enterAndJoin();
        List<String> before = next(alice.members).getMembersList();

        Player bob = webSocketPlayer();
        bob.enterAndJoin();
        List<String> bobSees = next(bob.members).getMembersList();
        assertThat(bobSees).hasSize(before.size() + 1).containsAll(before);
        String aliceUid = bobSees.stream().filter(uid -> !before.contains(uid)).findFirst().orElseThrow();
        String newUser = next(alice.newUsers).getContent();
        assertThat(newUser).startsWith("New user: ").isNotEqualTo("New user: " + aliceUid);
        String bobUid = newUser.substring("New user: ".length());

        UserMessage hello = UserMessage.newBuilder().setName("bob").setContent("hello, room").build();
        bob.client.notify("room.room.message", hello);
        assertThat(next(alice.messages)).isEqualTo(hello);
        assertThat(next(bob.messages)).isEqualTo(hello);
        assertThat(bob.newUsers).as("a joiner is not told about itself").isEmpty();

        assertThat(await(alice.client.request("room.room.leave", null, Reply.class)).getMsg()).isEqualTo("success");
        Player carol = tcpPlayer();
        carol.enterAndJoin();
        assertThat(next(carol.members).getMembersList()).contains(bobUid).doesNotContain(aliceUid);
    }

    @Test
    void aPlayerWhoseConnectionClosesLeavesTheRoom() throws Exception {
        Player dan = tcpPlayer();
        dan.enterAndJoin();
        List<String> danSaw = next(dan.members).getMembersList();
        Player erin = tcpPlayer();
        erin.enterAndJoin();
        String danUid = next(erin.members).getMembersList().stream().filter(uid -> !danSaw.contains(uid)).findFirst().orElseThrow();

        dan.client.close();

        org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> {
            Player fay = tcpPlayer();
            fay.enterAndJoin();
            assertThat(next(fay.members).getMembersList()).doesNotContain(danUid);
        });
    }

    @Test
    void aRewardClaimedTwiceIsGrantedOnceByAReliableJob() throws Exception {
        Player player = tcpPlayer();
        BlockingQueue<RPCMsg> rewards = new LinkedBlockingQueue<>();
        player.client.onPush("onReward", RPCMsg.class, rewards::add);
        await(player.client.request("room.room.entry", null, JoinResponse.class));

        String job = await(player.client.request("room.room.reward", null, RPCRes.class)).getMsg();
        assertThat(job).startsWith("daily-reward:");
        assertThat(rewards.poll(30, TimeUnit.SECONDS)).as("the job ran").isNotNull();
        assertThat(await(player.client.request("room.room.reward", null, RPCRes.class)).getMsg()).isEqualTo(job);

        assertThat(rewards.poll(3, TimeUnit.SECONDS)).as("the same job: not granted again").isNull();
    }

    @Test
    void notifyPushReachesTheCallerByUid() throws Exception {
        Player player = tcpPlayer();
        await(player.client.request("room.room.entry", null, JoinResponse.class));

        player.client.notify("room.room.notifypush", new byte[0]);

        assertThat(next(player.testPushes)).isEqualTo(RPCMsg.newBuilder().setMsg("test").build());
    }

    @Test
    void sendRpcCallsTheRemoteOfTheNamedServer() throws Exception {
        Player player = tcpPlayer();
        SendRPCMsg call = SendRPCMsg.newBuilder().setServerId("connector-1").setRoute("connector.connectorremote.remotefunc")
                .setMsg("hello, connector").build();

        assertThat(await(player.client.request("room.room.sendrpc", call, RPCRes.class)).getMsg()).isEqualTo("hello, connector");
    }

    @Test
    void joiningBeforeEntryIsRefused() throws Exception {
        Player player = tcpPlayer();

        assertThat(error(player.client.request("room.room.join", null, JoinResponse.class)).code()).isEqualTo("ROOM-401");
    }

    @Test
    void theFrontendExposesPitayasMetricsAndHealth() throws Exception {
        Player player = tcpPlayer();
        player.client.request("connector.getsessiondata", null, byte[].class).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        int port = frontend.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

        String scrape = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        String health = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();

        assertThat(scrape).containsPattern("pitaya_handler_response_time_seconds_count\\{[^}]*route=\"connector.connector.getsessiondata\"[^}]*status=\"ok\"[^}]*\\} [1-9]")
                .contains("route=\"room.room.join\"").contains("pitaya_servers{").contains("pitaya_connected_clients{");
        assertThat(health).contains("\"pitayaAcceptors\"", "\"pitayaDiscovery\"", "\"pitayaKafkaRpc\"").doesNotContain("not initialized").endsWith("\"status\":\"UP\"}");
    }

    Player tcpPlayer() {
        return new Player(clients.tcp());
    }

    Player webSocketPlayer() {
        return new Player(clients.webSocket());
    }

    static SessionData data(String key, String value) {
        return SessionData.newBuilder().putData(key, value).build();
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    static PitayaException error(CompletableFuture<?> future) throws Exception {
        try {
            future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return fail("expected an error response");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PitayaException.class);
            return (PitayaException) e.getCause();
        }
    }

    static <T> T next(BlockingQueue<T> pushes) throws InterruptedException {
        T push = pushes.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(push).as("push within " + TIMEOUT).isNotNull();
        return push;
    }

    /** A connected client and the pushes it has received so far, decoded by the serializer the server announced. */
    static final class Player {

        final PitayaClient client;
        final BlockingQueue<AllMembers> members = new LinkedBlockingQueue<>();
        final BlockingQueue<NewUser> newUsers = new LinkedBlockingQueue<>();
        final BlockingQueue<UserMessage> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<RPCMsg> testPushes = new LinkedBlockingQueue<>();

        Player(PitayaClient client) {
            this.client = client;
            listen("onMembers", AllMembers.class, members);
            listen("onNewUser", NewUser.class, newUsers);
            listen("onMessage", UserMessage.class, messages);
            listen("testPush", RPCMsg.class, testPushes);
        }

        private <T extends Message> void listen(String route, Class<T> type, BlockingQueue<T> queue) {
            client.onPush(route, type, queue::add);
        }

        void enterAndJoin() throws Exception {
            assertThat(await(client.request("room.room.entry", null, JoinResponse.class)).getResult()).isEqualTo("ok");
            assertThat(await(client.request("room.room.join", null, JoinResponse.class)).getResult()).isEqualTo("success");
        }
    }
}
