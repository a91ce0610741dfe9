package io.pitaya.spring.clusterit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.pitaya.client.PitayaClient;
import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.internal.cluster.group.ClusterGroupService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cluster-wide groups ({@code pitaya.cluster.groups.store=cluster}) on two backends and two frontends: a group made on
 * one backend is the group of the other, and a broadcast reaches each member once, on whichever frontend holds it.
 */
class ClusterGroupsTests {

    static InJvmCluster cluster;
    static ConfigurableApplicationContext backend1;
    static ConfigurableApplicationContext backend2;
    static ConfigurableApplicationContext frontend1;
    static ConfigurableApplicationContext frontend2;
    final List<PitayaClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        cluster = new InJvmCluster("pitaya.cluster.groups.store=cluster");
        backend1 = cluster.backend("room-g1");
        backend2 = cluster.backend("room-g2");
        frontend1 = cluster.frontend("connector-g1");
        frontend2 = cluster.frontend("connector-g2");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PitayaClient::close);
    }

    PitayaClient player(ConfigurableApplicationContext frontend, String uid) throws Exception {
        PitayaClient client = PitayaClient.builder().tcp("127.0.0.1", InJvmCluster.tcpPort(frontend)).requestTimeout(Duration.ofSeconds(8)).build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        client.request("room.room.entry", Map.of("uid", uid), String.class).get(10, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void everyServerUsesTheClusterStore() {
        for (ConfigurableApplicationContext server : List.of(backend1, backend2, frontend1, frontend2)) {
            assertThat(server.getBean(GroupService.class)).isInstanceOf(ClusterGroupService.class);
        }
    }

    @Test
    void membersJoinedThroughDifferentBackendsGetOneBroadcastEachOnTheirFrontend() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        for (String uid : List.of("ana", "bob", "cid", "dee")) {
            PitayaClient client = player(uid.equals("ana") || uid.equals("cid") ? frontend1 : frontend2, uid);
            client.onPush("onGuild", Map.class, m -> got.add(uid + ":" + m.get("n")));
        }
        GroupService viaRoom1 = backend1.getBean(GroupService.class);
        GroupService viaRoom2 = backend2.getBean(GroupService.class);
        viaRoom1.create("guild-1");
        viaRoom1.add("guild-1", "ana");
        viaRoom1.add("guild-1", "bob");
        viaRoom2.add("guild-1", "cid");
        viaRoom2.add("guild-1", "dee");
        assertThat(viaRoom2.members("guild-1")).containsExactly("ana", "bob", "cid", "dee");

        int callsBefore = cluster.observations.get("room-g2").stopped().size();
        assertThat(viaRoom2.broadcast("guild-1", "onGuild", Map.of("n", 1))).isEmpty();

        List<String> received = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String push = got.poll(5, TimeUnit.SECONDS);
            assertThat(push).as("push %d of 4", i + 1).isNotNull();
            received.add(push);
        }
        assertThat(received).containsExactlyInAnyOrder("ana:1", "bob:1", "cid:1", "dee:1");
        assertThat(got.poll(500, TimeUnit.MILLISECONDS)).as("no member gets it twice").isNull();
        List<String> calls = cluster.observations.get("room-g2").stopped();
        assertThat(calls.subList(callsBefore, calls.size())).filteredOn(call -> call.startsWith("pitaya.rpc.client("))
                .as("one message per frontend for all four members").hasSize(2)
                .allSatisfy(call -> assertThat(call).startsWith("pitaya.rpc.client(sys.pushbatch)"));
    }

    @Test
    void aFrontendBroadcastsToItsOwnMembersAndTheOtherFrontends() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        player(frontend1, "eve").onPush("onChat", Map.class, m -> got.add("eve"));
        player(frontend2, "fay").onPush("onChat", Map.class, m -> got.add("fay"));
        GroupService onConnector = frontend1.getBean(GroupService.class);
        onConnector.create("channel");
        onConnector.add("channel", "eve");
        frontend2.getBean(GroupService.class).add("channel", "fay");

        onConnector.broadcast("connector", "channel", "onChat", Map.of("text", "hi"));

        assertThat(List.of(got.poll(5, TimeUnit.SECONDS), got.poll(5, TimeUnit.SECONDS))).containsExactlyInAnyOrder("eve", "fay");
    }

    @Test
    void pushesToMembersWhoLeftAreDroppedAndCounted() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        player(frontend2, "gus").onPush("onNews", Map.class, m -> got.add("gus"));
        GroupService groups = backend1.getBean(GroupService.class);
        groups.create("news");
        groups.add("news", "gus");
        groups.add("news", "left-long-ago");
        groups.add("news", "never-came");
        MeterRegistry meters = backend1.getBean(MeterRegistry.class);
        double before = meters.counter("pitaya.groups.broadcast.undelivered").count();

        groups.broadcast("news", "onNews", Map.of("n", 1));

        assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("gus");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(meters.counter("pitaya.groups.broadcast.undelivered").count() - before).isEqualTo(2));
    }

    @Test
    void aGroupWithATtlThatNobodyUsesIsGoneEverywhere() throws Exception {
        backend1.getBean(GroupService.class).create("match", Duration.ofMillis(500));
        backend2.getBean(GroupService.class).add("match", "hal");
        Thread.sleep(1200);
        assertThat(backend2.getBean(GroupService.class).exists("match")).isFalse();
        assertThat(frontend1.getBean(GroupService.class).exists("match")).isFalse();
    }

    @Test
    void aDeletedGroupIsGoneForEveryServer() {
        GroupService a = backend1.getBean(GroupService.class);
        a.create("room-x");
        a.add("room-x", "ivy");
        backend2.getBean(GroupService.class).delete("room-x");
        assertThat(a.exists("room-x")).isFalse();
        assertThat(frontend2.getBean(GroupService.class).exists("room-x")).isFalse();
    }
}
