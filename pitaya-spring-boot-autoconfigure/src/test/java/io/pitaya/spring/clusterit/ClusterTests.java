package io.pitaya.spring.clusterit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.pitaya.PitayaException;
import io.pitaya.client.PitayaClient;
import io.pitaya.protocol.proto.PitayaProto.BindMsg;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.internal.cluster.kafka.KafkaRpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Two frontends ("connector") and two backends ("room") over a real Kafka broker, driven by the Java
 * client: forwarding, routing, backend sessions, remotes, pushes and kicks across frontends, unique
 * sessions, group broadcast, timeouts, and a backend leaving mid-traffic. The last tests stop a backend.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTests {

    static InJvmCluster cluster;
    static ConfigurableApplicationContext frontend1;
    static ConfigurableApplicationContext frontend2;
    static ConfigurableApplicationContext backend1;
    static ConfigurableApplicationContext backend2;

    final List<PitayaClient> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = new InJvmCluster();
        backend1 = cluster.backend("room-1");
        backend2 = cluster.backend("room-2");
        frontend1 = cluster.frontend("connector-1");
        frontend2 = cluster.frontend("connector-2");
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PitayaClient::close);
    }

    PitayaClient connect(ConfigurableApplicationContext frontend) throws Exception {
        PitayaClient client = PitayaClient.builder().tcp("127.0.0.1", InJvmCluster.tcpPort(frontend))
                .requestTimeout(Duration.ofSeconds(8)).build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        return client;
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    static PitayaException error(CompletableFuture<?> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
            return fail("expected an error");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PitayaException.class);
            return (PitayaException) e.getCause();
        }
    }

    @Test
    @Order(1)
    void requestsAndNotifiesAreForwardedToBackendsOfTheRouteType() throws Exception {
        PitayaClient client = connect(frontend1);
        Set<Object> servers = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            servers.add(await(client.request("room.room.whoami", new byte[0], Map.class)).get("server"));
        }
        assertThat(servers).as("the random router uses both backends").containsExactlyInAnyOrder("room-1", "room-2");

        BlockingQueue<Map> pushes = new LinkedBlockingQueue<>();
        client.onPush("onTold", Map.class, pushes::add);
        client.notify("room.room.tell", Map.of("hello", "backend"));
        assertThat(pushes.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.of("hello", "backend"));

        assertThat(await(client.request("connector.getSessionData", new byte[0], Map.class))).isEmpty();
    }

    @Test
    @Order(1)
    void manyConcurrentForwardedRequestsEachGetTheirOwnAnswerInOrderPerClient() throws Exception {
        // Replies share a reply topic and producers batch records under load: each answer must still
        // find its caller, and each client's answers must come in the order it asked.
        List<PitayaClient> many = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            many.add(connect(i % 2 == 0 ? frontend1 : frontend2));
        }
        List<CompletableFuture<Map>> answers = new ArrayList<>();
        Map<Integer, List<Integer>> arrivals = new ConcurrentHashMap<>();
        for (int n = 0; n < 50; n++) {
            for (int c = 0; c < many.size(); c++) {
                int client = c;
                int seq = n;
                answers.add(many.get(c).request("room.room.echo", Map.of("client", client, "seq", seq), Map.class)
                        .whenComplete((answer, error) -> arrivals.computeIfAbsent(client, k -> new CopyOnWriteArrayList<>()).add(seq)));
            }
        }
        for (int i = 0; i < answers.size(); i++) {
            assertThat(await(answers.get(i))).isEqualTo(Map.of("client", i % many.size(), "seq", i / many.size()));
        }
        for (int c = 0; c < many.size(); c++) {
            assertThat(arrivals.get(c)).as("answers of client %d", c).isSorted().hasSize(50);
        }
        for (ConfigurableApplicationContext frontend : List.of(frontend1, frontend2)) {
            assertThat(frontend.getBean(KafkaRpc.class).awaitingReplies())
                    .as("answered calls leave no reply timeout behind (it would hold the request until it fired)").isZero();
        }
    }

    @Test
    @Order(2)
    void bootsOwnKafkaTemplateStaysTheApplicationsNextToPitayasRpc() {
        // Once a ReplyingKafkaTemplate bean exists Boot backs off its KafkaTemplate; pitaya's is private.
        assertThat(backend1.getBeansOfType(org.springframework.kafka.core.KafkaTemplate.class)).hasSize(1)
                .allSatisfy((name, template) -> assertThat(template)
                        .isNotInstanceOf(org.springframework.kafka.requestreply.ReplyingKafkaTemplate.class));
    }

    @Test
    @Order(2)
    void healthMetricsAndInfoDescribeTheCluster() throws Exception {
        PitayaClient client = connect(frontend1);
        await(client.request("room.room.whoami", new byte[0], Map.class));

        org.springframework.boot.health.actuate.endpoint.HealthEndpoint health =
                frontend1.getBean(org.springframework.boot.health.actuate.endpoint.HealthEndpoint.class);
        assertThat(health.healthForPath("pitayaDiscovery").getStatus().getCode()).isEqualTo("UP");
        assertThat(health.healthForPath("pitayaKafkaRpc").getStatus().getCode()).isEqualTo("UP");
        assertThat(health.healthForPath("pitayaAcceptors").getStatus().getCode()).isEqualTo("UP");

        io.micrometer.core.instrument.MeterRegistry meters = frontend1.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        assertThat(meters.get("pitaya.servers").tag("type", "room").gauge().value()).isEqualTo(2);
        assertThat(meters.get("pitaya.servers").tag("type", "connector").gauge().value()).isEqualTo(2);
        assertThat(meters.get("pitaya.rpc.client.latency").tag("route", "room.room.whoami").tag("status", "ok").timer().count())
                .isPositive();
        assertThat(backend1.getBean(io.micrometer.core.instrument.MeterRegistry.class).find("pitaya.handler.response.time")
                .tag("route", "room.roomRemote.stamp").tag("type", "rpc").timer()).as("remotes pre-registered").isNotNull();
        assertThat(meters.get("pitaya.rpc.inbox.lag").gauge().value()).as("nothing waits in an idle inbox").isZero();

        org.springframework.boot.actuate.info.Info.Builder info = new org.springframework.boot.actuate.info.Info.Builder();
        frontend1.getBean(io.pitaya.spring.actuate.PitayaInfoContributor.class).contribute(info);
        assertThat(info.build().get("pitaya").toString()).contains("servers", "room-1", "connector-2", "mode=cluster");
    }

    @Test
    @Order(2)
    void handlerCallsAndRpcsAreObservedSoATracingBridgeCanFollowThem() throws Exception {
        PitayaClient client = connect(frontend2);
        await(client.request("connector.setSessionData", Map.of("shard", "room-1"), Map.class));

        await(client.request("room.room.whoami", new byte[0], Map.class));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(cluster.observations.get("connector-2").stopped())
                    .contains("pitaya.handler(room.room.whoami) < ", "pitaya.rpc.client(room.room.whoami) < pitaya.handler")
                    .anySatisfy(o -> assertThat(o).startsWith("spring.kafka.template").endsWith("< pitaya.rpc.client"));
            assertThat(cluster.observations.get("room-1").stopped())
                    .anySatisfy(o -> assertThat(o).startsWith("pitaya.rpc.server(room.room.whoami) < spring.kafka.listener"));
        });
        // The trace context a bridge writes on the caller travels in the request's metadata and is read on the callee.
        List<String> sent = cluster.observations.get("connector-2").sentTraces.stream().filter(t -> t.startsWith("room.room.whoami=")).toList();
        assertThat(sent).isNotEmpty();
        assertThat(cluster.observations.get("room-1").receivedTraces).contains(sent.get(sent.size() - 1));
    }

    @Test
    @Order(2)
    void errorsFromBackendsArriveUnchanged() throws Exception {
        PitayaClient client = connect(frontend1);

        PitayaException e = error(client.request("room.room.fail", new byte[0], Map.class));
        assertThat(e.code()).isEqualTo("ROOM-7");
        assertThat(e.getMessage()).isEqualTo("room says no");
        assertThat(e.metadata()).containsEntry("room", "1");
        assertThat(error(client.request("room.room.missing", new byte[0])).code()).isEqualTo("PIT-404");
        assertThat(error(client.request("nowhere.room.whoami", new byte[0])).code()).isEqualTo("PIT-500");
    }

    @Test
    @Order(3)
    void aCustomRouterSeesTheSession() throws Exception {
        PitayaClient client = connect(frontend1);
        await(client.request("connector.setSessionData", Map.of("shard", "room-2"), Map.class));

        for (int i = 0; i < 10; i++) {
            assertThat(await(client.request("room.room.whoami", new byte[0], Map.class))).containsEntry("server", "room-2");
        }
        assertThat(frontend1.getBean(KafkaRpc.class).sentWithoutBlocking())
                .as("a custom router is application code: its routes are never forwarded from an event loop").isZero();
    }

    @Test
    @Order(4)
    void backendSessionsBindPushToFrontPushAndKickThroughTheFrontend() throws Exception {
        PitayaClient client = connect(frontend1);

        assertThat(await(client.request("room.room.entry", Map.of("uid", "carol"), String.class))).isEqualTo("carol");
        assertThat(frontend1.getBean(Pitaya.class).sessionByUid("carol")).as("bound on the frontend").isNotNull();
        assertThat(await(client.request("connector.uid", new byte[0], String.class))).isEqualTo("carol");

        await(client.request("room.room.setData", Map.of("level", 12), Map.class));
        assertThat(await(client.request("connector.getSessionData", new byte[0], Map.class))).containsEntry("level", 12);
        Map<String, Object> seenByBackend = await(client.request("room.room.whoami", new byte[0], Map.class));
        assertThat(seenByBackend).containsEntry("uid", "carol");
        assertThat(seenByBackend.get("data")).isEqualTo(Map.of("level", 12));

        CountDownLatch kicked = new CountDownLatch(1);
        client.onKick(kicked::countDown);
        client.notify("room.room.kickMe", new byte[0]);
        assertThat(kicked.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Order(4)
    void aBindTheFrontendVetoesFailsOnTheBackendWithTheVetosCodeAndTheSessionStaysUnbound() throws Exception {
        PitayaClient client = connect(frontend1);

        assertThat(error(client.request("room.room.entry", Map.of("uid", "banned-dave"), String.class)).code()).isEqualTo("GAME-BANNED");
        assertThat(frontend1.getBean(Pitaya.class).sessionByUid("banned-dave")).isNull();
        assertThat(await(client.request("room.room.entry", Map.of("uid", "dave"), String.class))).as("still unbound: may bind").isEqualTo("dave");
    }

    @Test
    @Order(4)
    void kicksWithAReasonFromABackendArePushedByTheFrontendBeforeTheKick() throws Exception {
        PitayaClient erin = connect(frontend1);
        await(erin.request("room.room.entry", Map.of("uid", "erin"), String.class));
        java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        erin.onPush("onKick", Map.class, reason -> seen.add("push " + reason.get("code") + " " + reason.get("reason")));
        erin.onKick(() -> seen.add("kick"));

        erin.notify("room.room.kickMeFor", Map.of("code", "GAME-BAN", "reason", "cheating"));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly("push GAME-BAN cheating", "kick");

        PitayaClient frank = connect(frontend1);
        await(frank.request("room.room.entry", Map.of("uid", "frank"), String.class));
        java.util.concurrent.CompletableFuture<Map<?, ?>> told = new java.util.concurrent.CompletableFuture<>();
        frank.onPush("onKick", Map.class, told::complete);

        assertThat(backend1.getBean(Pitaya.class).kickUsers(java.util.List.of("frank"), "GAME-MAINTENANCE", "back in 10 min")).isEmpty();
        Map<?, ?> reason = told.get(5, TimeUnit.SECONDS);
        assertThat(reason.get("code")).isEqualTo("GAME-MAINTENANCE");
        assertThat(reason.get("reason")).isEqualTo("back in 10 min");
    }

    @Test
    @Order(5)
    void aCallsContextTravelsWithItKeysAndDeadline() throws Exception {
        Pitaya pitaya = backend1.getBean(Pitaya.class);

        BindMsg seen = pitaya.rpc(io.pitaya.spring.PitayaContext.empty().with("player", "p1").withTimeout(java.time.Duration.ofSeconds(1)),
                "room.roomRemote.context", BindMsg.getDefaultInstance(), BindMsg.class);

        assertThat(seen.getUid()).isEqualTo("p1/null");
        assertThat(seen.getFid()).as("the callee knows when its caller gives up").isEqualTo("deadline/room");
        assertThat(pitaya.rpc("room.roomRemote.context", BindMsg.getDefaultInstance(), BindMsg.class).getFid())
                .as("without a context: no deadline is sent").isEqualTo("none/room");
    }

    @Test
    @Order(5)
    void aHandlerPassesItsContextOnToTheRemotesItCalls() throws Exception {
        PitayaClient client = connect(frontend1);

        Map<String, Object> answer = await(client.request("room.room.relayContext", Map.of(), Map.class));

        assertThat(answer).containsEntry("seen", "null/relay").containsEntry("detail", "none/room");
    }

    @Test
    @Order(5)
    void aPerCallTimeoutEndsTheCallAtItsDeadline() throws Exception {
        Pitaya pitaya = backend1.getBean(Pitaya.class);
        long start = System.nanoTime();

        PitayaException late = org.assertj.core.api.Assertions.catchThrowableOfType(PitayaException.class,
                () -> pitaya.rpc(io.pitaya.spring.PitayaContext.empty().withTimeout(java.time.Duration.ofMillis(300)),
                        "room.roomRemote.sleep", BindMsg.getDefaultInstance(), BindMsg.class));

        assertThat(late.code()).isEqualTo("PIT-408");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).as("300 ms, not the 2 s RPC timeout")
                .isLessThan(java.time.Duration.ofMillis(1500));
        PitayaException expired = org.assertj.core.api.Assertions.catchThrowableOfType(PitayaException.class,
                () -> pitaya.rpc(io.pitaya.spring.PitayaContext.empty().withTimeout(java.time.Duration.ZERO),
                        "room.roomRemote.stamp", BindMsg.getDefaultInstance(), BindMsg.class));
        assertThat(expired.code()).as("a deadline already past: not sent").isEqualTo("PIT-408");
    }

    @Test
    @Order(5)
    void continuationsOfAsyncRpcsRunOnHandlerThreadsSoTheyMayCallAgain() throws Exception {
        Pitaya pitaya = backend1.getBean(Pitaya.class);
        // Attached before the reply arrives: on the Kafka reply thread, the nested call would wait for a reply
        // that only that thread can deliver, until the RPC timeout.
        java.util.concurrent.CompletableFuture<String> chained = pitaya
                .rpcToAsync("room-2", "room.roomRemote.stamp", BindMsg.newBuilder().setUid("a").build(), BindMsg.class)
                .thenApply(first -> Thread.currentThread().getName() + "|"
                        + pitaya.rpcTo("room-2", "room.roomRemote.stamp", BindMsg.newBuilder().setUid("b").build(), BindMsg.class).getUid());
        assertThat(chained.get(10, TimeUnit.SECONDS)).startsWith("pitaya-handler").endsWith("|b!");
    }

    @Test
    @Order(5)
    void remotesAreCalledWithProtobufByTypeAndById() throws Exception {
        Pitaya pitaya = backend1.getBean(Pitaya.class);

        BindMsg any = pitaya.rpc("room.roomRemote.stamp", BindMsg.newBuilder().setUid("x").build(), BindMsg.class);
        assertThat(any.getUid()).isEqualTo("x!");
        assertThat(any.getFid()).isIn("room-1", "room-2");
        assertThat(pitaya.rpcToAsync("room-2", "room.roomRemote.stamp", BindMsg.newBuilder().setUid("y").build(), BindMsg.class)
                .get(5, TimeUnit.SECONDS).getFid()).isEqualTo("room-2");

        PitayaException refused = org.assertj.core.api.Assertions.catchThrowableOfType(PitayaException.class,
                () -> pitaya.rpc("room.roomRemote.stamp", BindMsg.newBuilder().setUid("forbidden").build(), BindMsg.class));
        assertThat(refused.code()).as("a remote interceptor refused it").isEqualTo("GAME-FORBIDDEN");
        assertThat(io.pitaya.spring.clusterit.backend.RoomApplication.REMOTE_CALLS)
                .contains("room.roomRemote.stamp ok", "room.roomRemote.stamp GAME-FORBIDDEN");

        PitayaException remoteError = org.assertj.core.api.Assertions.catchThrowableOfType(PitayaException.class,
                () -> pitaya.rpc("room.roomRemote.fail", BindMsg.newBuilder().setUid("z").build(), BindMsg.class));
        assertThat(remoteError.code()).isEqualTo("REMOTE-1");
        assertThat(remoteError.metadata()).containsEntry("uid", "z");

        PitayaClient client = connect(frontend2);
        assertThat(await(client.request("room.room.callOther", Map.of("server", "room-1"), Map.class)))
                .as("a handler calling rpcTo").containsEntry("fid", "room-1");
        assertThat(backend2.getBean(io.micrometer.core.instrument.MeterRegistry.class).get("pitaya.handler.response.time")
                .tag("route", "room.roomRemote.stamp").tag("type", "rpc").tag("status", "ok").timer().count())
                .as("server-side RPC latency recorded on the callee").isPositive();
    }

    @Test
    @Order(6)
    void pushToUsersAndKickUsersReachUsersOnAnyFrontend() throws Exception {
        PitayaClient onOne = connect(frontend1);
        PitayaClient onTwo = connect(frontend2);
        await(onOne.request("room.room.entry", Map.of("uid", "dave"), String.class));
        await(onTwo.request("room.room.entry", Map.of("uid", "erin"), String.class));
        BlockingQueue<String> pushes = new LinkedBlockingQueue<>();
        onOne.onPush("onNews", Map.class, m -> pushes.add("dave:" + m.get("n")));
        onTwo.onPush("onNews", Map.class, m -> pushes.add("erin:" + m.get("n")));

        List<String> failed = backend1.getBean(Pitaya.class).pushToUsers("onNews", Map.of("n", 1), List.of("dave", "erin", "nobody"), "connector");

        assertThat(failed).containsExactly("nobody");
        assertThat(List.of(pushes.poll(5, TimeUnit.SECONDS), pushes.poll(5, TimeUnit.SECONDS))).containsExactlyInAnyOrder("dave:1", "erin:1");

        CountDownLatch kicked = new CountDownLatch(1);
        onTwo.onKick(kicked::countDown);
        assertThat(frontend1.getBean(Pitaya.class).kickUsers(List.of("erin", "nobody"), "connector")).containsExactly("nobody");
        assertThat(kicked.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Order(7)
    void bindingAUidBoundOnAnotherFrontendKicksTheOlderSession() throws Exception {
        PitayaClient older = connect(frontend1);
        CountDownLatch kicked = new CountDownLatch(1);
        older.onKick(kicked::countDown);
        await(older.request("room.room.entry", Map.of("uid", "frank"), String.class));

        PitayaClient newer = connect(frontend2);
        await(newer.request("room.room.entry", Map.of("uid", "frank"), String.class));

        assertThat(kicked.await(5, TimeUnit.SECONDS)).as("older session on the other frontend kicked").isTrue();
        assertThat(await(newer.request("connector.uid", new byte[0], String.class))).isEqualTo("frank");
    }

    @Test
    @Order(8)
    void groupBroadcastFromABackendReachesMembersOnEveryFrontend() throws Exception {
        PitayaClient a = connect(frontend1);
        PitayaClient b = connect(frontend2);
        await(a.request("room.room.entry", Map.of("uid", "gina"), String.class));
        await(b.request("room.room.entry", Map.of("uid", "hank"), String.class));
        BlockingQueue<String> joins = new LinkedBlockingQueue<>();
        a.onPush("onJoin", Map.class, m -> joins.add("gina saw " + m.get("uid")));
        b.onPush("onJoin", Map.class, m -> joins.add("hank saw " + m.get("uid")));
        await(a.request("connector.setSessionData", Map.of("shard", "room-1"), Map.class));
        await(b.request("connector.setSessionData", Map.of("shard", "room-1"), Map.class));

        await(a.request("room.room.join", new byte[0], List.class));
        assertThat(joins.poll(5, TimeUnit.SECONDS)).isEqualTo("gina saw gina");
        await(b.request("room.room.join", new byte[0], List.class));

        assertThat(List.of(joins.poll(5, TimeUnit.SECONDS), joins.poll(5, TimeUnit.SECONDS)))
                .containsExactlyInAnyOrder("gina saw hank", "hank saw hank");
    }

    @Test
    @Order(8)
    void aBroadcastNeverWaitsOnAFrontendThatDiedWhileStillRegistered() throws Exception {
        // A frontend killed a moment ago: still in the registry, its inbox topic there, nobody reading it; one
        // of the room's members is bound to it.
        io.pitaya.spring.cluster.ServerInfo ghost = new io.pitaya.spring.cluster.ServerInfo("connector-ghost", "connector", true,
                "ghost-host", Map.of());
        java.util.Map<String, Object> config = Map.of("bootstrap.servers", cluster.kafka.getBrokersAsString());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(config)) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("pitaya.server.connector-ghost", 1, (short) 1)))
                    .all().get(10, TimeUnit.SECONDS);
        }
        io.pitaya.spring.internal.cluster.discovery.ServerRegistration registration = new io.pitaya.spring.internal.cluster.discovery.ServerRegistration(ghost, 0);
        cluster.registry.register(registration);
        cluster.registry.bindings().bind("ghost-user", "connector-ghost");
        Pitaya room1 = backend1.getBean(Pitaya.class);
        room1.groups().add("room", "ghost-user");
        try {
            PitayaClient player = connect(frontend1);
            await(player.request("room.room.entry", Map.of("uid", "ivan"), String.class));
            await(player.request("connector.setSessionData", Map.of("shard", "room-1"), Map.class));

            // Each join broadcasts to the room, the ghost's member too; a broadcast that waited for the ghost's
            // answer would outlive the 2 s RPC timeout of the forwarded join.
            for (int i = 0; i < 4; i++) {
                assertThat(await(player.request("room.room.join", new byte[0], List.class))).as("join %d", i).doesNotContain("ivan");
            }
            assertThat(room1.pushToUsers("onNews", Map.of("n", 1), List.of("ghost-user", "nobody"), "connector"))
                    .as("known unreachable only").containsExactly("nobody");
        } finally {
            room1.groups().remove("room", "ghost-user");
            cluster.registry.deregister(registration);
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(config)) {
                admin.deleteTopics(List.of("pitaya.server.connector-ghost")).all().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Order(9)
    void aServerWhoseInboxWasDeletedCreatesItAgainAndServes() throws Exception {
        // What another server's stale-topic sweep does when a flapping health check hid room-1 from its view.
        KafkaRpc room1 = backend1.getBean(KafkaRpc.class);
        java.util.Map<String, Object> config = Map.of("bootstrap.servers", cluster.kafka.getBrokersAsString());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(config)) {
            admin.deleteTopics(List.of(room1.inboxTopic())).all().get(10, TimeUnit.SECONDS);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> !admin.listTopics().names().get().contains(room1.inboxTopic()));
        }

        assertThat(room1.ensureTopics()).containsExactly(room1.inboxTopic());
        assertThat(room1.ensureTopics()).as("there now").isEmpty();

        PitayaClient pinned = connect(frontend1);
        await(pinned.request("connector.setSessionData", Map.of("shard", "room-1"), Map.class));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                assertThat(await(pinned.request("room.room.whoami", new byte[0], Map.class))).containsEntry("server", "room-1"));
    }

    @Test
    @Order(9)
    void aCallSlowerThanTheRpcTimeoutFailsWithPit408() throws Exception {
        PitayaClient client = connect(frontend1);

        long start = System.nanoTime();
        assertThat(error(client.request("room.room.slow", Map.of("ms", 3500), Map.class)).code()).isEqualTo("PIT-408");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3400));
        assertThat(frontend1.getBean(io.micrometer.core.instrument.MeterRegistry.class).get("pitaya.rpc.client.timeouts")
                .tag("route", "room.room.slow").counter().count()).as("the timeout is counted").isEqualTo(1);
        assertThat(await(client.request("room.room.whoami", new byte[0], Map.class))).containsKey("server");
    }

    @Test
    @Order(9)
    void topicsOfServersThatVanishedAreRemovedWhenSeenOrphanedTwice() throws Exception {
        Map<String, Object> admin = Map.of("bootstrap.servers", cluster.kafka.getBrokersAsString());
        try (org.apache.kafka.clients.admin.Admin client = org.apache.kafka.clients.admin.Admin.create(admin)) {
            client.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("pitaya.server.ghost", 1, (short) 1),
                    new org.apache.kafka.clients.admin.NewTopic("pitaya.reply.ghost", 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
            io.pitaya.spring.internal.cluster.kafka.StaleTopicCleaner cleaner = backend1.getBean(io.pitaya.spring.internal.cluster.kafka.StaleTopicCleaner.class);

            assertThat(cleaner.sweep()).as("first sighting: only noted").isEmpty();
            assertThat(cleaner.sweep()).containsExactlyInAnyOrder("pitaya.server.ghost", "pitaya.reply.ghost");

            Set<String> left = client.listTopics().names().get(10, TimeUnit.SECONDS);
            assertThat(left).contains("pitaya.server.room-1", "pitaya.reply.room-1", "pitaya.server.connector-2")
                    .doesNotContain("pitaya.server.ghost");
        }
    }

    @Test
    @Order(10)
    void aBackendStoppingMidTrafficAnswersWhatItAcceptedAndLaterRequestsGoToTheOther() throws Exception {
        PitayaClient pinned = connect(frontend1);
        await(pinned.request("connector.setSessionData", Map.of("shard", "room-2"), Map.class));
        PitayaClient[] load = {connect(frontend1), connect(frontend2), connect(frontend1), connect(frontend2)};

        // room-2 must answer what it accepted before stopping (it drains before leaving); the pinned
        // session's later requests run after it left, so the router sends them to room-1: none fails.
        List<CompletableFuture<Map>> accepted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            accepted.add(pinned.request("room.room.slow", Map.of("ms", 300), Map.class));
        }
        List<CompletableFuture<Map>> traffic = new ArrayList<>();
        for (PitayaClient c : load) {
            for (int i = 0; i < 10; i++) {
                traffic.add(c.request("room.room.whoami", new byte[0], Map.class));
            }
        }
        Thread.sleep(100);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(backend2::close);
        assertThat(await(accepted.get(0))).as("accepted before the stop, answered").containsEntry("server", "room-2");
        for (CompletableFuture<Map> f : accepted) {
            assertThat(await(f)).as("no request of the session is lost").containsKey("server");
        }
        for (CompletableFuture<Map> f : traffic) {
            try {
                f.get(4, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(((PitayaException) e.getCause()).code()).as("a failure is an error code, within the timeout")
                        .isIn("PIT-408", "PIT-500");
            }
        }
        stopping.get(20, TimeUnit.SECONDS);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> frontend1.getBean(io.pitaya.spring.cluster.ServiceDiscovery.class)
                .servers("room").size() == 1);
        for (PitayaClient c : load) {
            for (int i = 0; i < 5; i++) {
                assertThat(await(c.request("room.room.whoami", new byte[0], Map.class))).containsEntry("server", "room-1");
            }
        }
        assertThat(await(pinned.request("room.room.whoami", new byte[0], Map.class)))
                .as("the router falls back when its shard is gone").containsEntry("server", "room-1");
    }

    @Test
    @Order(9)
    void aForwardThatFailsBeforeItLeavesOrAnErrorOnTheBackendIsStillAnswered() throws Exception {
        PitayaClient client = connect(frontend1);
        assertThat(error(client.request("room.room.echo", Map.of("crash", true), Map.class)).code())
                .as("an Error thrown on the backend comes back as an error, not a timeout").isEqualTo("PIT-000");

        await(client.request("connector.poisonSessionData", new byte[0], String.class));
        PitayaException failure = error(client.request("room.room.whoami", new byte[0], Map.class));
        assertThat(failure.code()).as("answered at once, not after the RPC timeout").isNotEqualTo("PIT-408");
        assertThat(await(client.request("connector.uid", new byte[0], String.class))).as("the session goes on").isNotNull();
    }

    @Test
    @Order(9)
    void aBackendThatStopsAnsweringIsOutOfRoutingAfterThreeTimeoutsAndBackWhenItAnswers() throws Exception {
        // Earlier tests' slow calls may have taken a backend out of routing for a while: start with both in.
        PitayaClient warm = connect(frontend1);
        Set<Object> answering = new HashSet<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
            answering.add(await(warm.request("room.room.whoami", new byte[0], Map.class)).get("server"));
            return answering.size() == 2;
        });
        // Three sessions pinned to room-2 make it look frozen to connector-1: their calls outlive the 2 s timeout.
        List<CompletableFuture<Map>> stuck = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PitayaClient pinned = connect(frontend1);
            await(pinned.request("connector.setSessionData", Map.of("shard", "room-2"), Map.class));
            stuck.add(pinned.request("room.room.slow", Map.of("ms", 2500), Map.class));
        }
        for (CompletableFuture<Map> call : stuck) {
            assertThat(error(call).code()).isEqualTo("PIT-408");
        }

        PitayaClient other = connect(frontend1);
        for (int i = 0; i < 12; i++) {
            assertThat(await(other.request("room.room.whoami", new byte[0], Map.class))).as("room-2 is out of routing")
                    .containsEntry("server", "room-1");
        }
        PitayaClient pinned = connect(frontend1);
        await(pinned.request("connector.setSessionData", Map.of("shard", "room-2"), Map.class));
        assertThat(await(pinned.request("room.room.whoami", new byte[0], Map.class))).as("even for its shard's router")
                .containsEntry("server", "room-1");

        // After the 3 s ejection, room-2 is probed with a call of connector-1's own; once it answered, it is back.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                "room-2".equals(await(pinned.request("room.room.whoami", new byte[0], Map.class)).get("server")));
        Set<Object> servers = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            servers.add(await(other.request("room.room.whoami", new byte[0], Map.class)).get("server"));
        }
        assertThat(servers).as("back in routing").containsExactlyInAnyOrder("room-1", "room-2");
    }

    @Test
    @Order(11)
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void aServerRestartedWithTheIdOfACrashedOneDoesNotReplayItsOldReplies(org.springframework.boot.test.system.CapturedOutput output)
            throws Exception {
        // What a crash leaves behind: the reply topic of "room-phoenix", full of replies to calls of its last life.
        String topic = "pitaya.reply.room-phoenix";
        java.util.Map<String, Object> config = Map.of("bootstrap.servers", cluster.kafka.getBrokersAsString());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(config)) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                config, new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int i = 0; i < 50; i++) {
                org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> old = new org.apache.kafka.clients.producer.ProducerRecord<>(topic, new byte[] {1});
                old.headers().add("kafka_correlationId", java.nio.ByteBuffer.allocate(16).putLong(42).putLong(i).array());
                producer.send(old);
            }
        }

        ConfigurableApplicationContext phoenix = cluster.backend("room-phoenix");
        try {
            BindMsg answer = phoenix.getBean(Pitaya.class).rpcTo("room-1", "room.roomRemote.stamp", BindMsg.newBuilder().setUid("p").build(), BindMsg.class);
            assertThat(answer.getUid()).as("its own calls are answered").isEqualTo("p!");
            assertThat(output.getAll()).as("the replies of its last life are not read again").doesNotContain("No pending reply: pitaya.reply.room-phoenix");
        } finally {
            phoenix.close();
        }
    }
}
