package io.pitaya.spring.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.it.EchoComponent.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;

import static io.pitaya.spring.it.Futures.await;
import static io.pitaya.spring.it.Futures.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Binding, unique sessions, kicks, close callbacks, pushes to users and groups. */
@StandaloneGameServerTest
class SessionsAndGroupsTests extends ServerTestSupport {

    @Autowired
    Pitaya pitaya;

    @Autowired
    Events events;

    private static String bind(PitayaClient client, String uid) throws Exception {
        return await(client.request("echo.bind", new Message(uid, 0), String.class));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void bindingAUidBoundElsewhereKicksTheOlderSession(Transport transport) throws Exception {
        String uid = "unique-" + transport;
        PitayaClient older = server.connect(transport);
        CountDownLatch kicked = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        older.onKick(kicked::countDown);
        older.onClose(closed::countDown);
        assertThat(bind(older, uid)).isEqualTo(uid);

        PitayaClient newer = server.connect(transport);
        assertThat(bind(newer, uid)).isEqualTo(uid);

        assertThat(kicked.await(5, TimeUnit.SECONDS)).as("older session got a Kick").isTrue();
        assertThat(closed.await(5, TimeUnit.SECONDS)).as("older session closed").isTrue();
        assertThat(pitaya.sessionByUid(uid)).isNotNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.all().contains("callback:" + uid));
        assertThat(await(newer.request("echo.noArgs", new byte[0], String.class))).isEqualTo("no args");
    }

    @Test
    void aListenerMayVetoABindWithItsOwnCodeAndTheSessionStaysUnbound() throws Exception {
        PitayaClient client = server.connect(Transport.TCP);

        assertThat(error(client.request("echo.bind", new Message("banned-eve", 0), String.class)).code()).isEqualTo("GAME-BANNED");
        assertThat(events.all()).doesNotContain("bind:banned-eve");
        assertThat(bind(client, "eve")).as("still unbound: may bind").isEqualTo("eve");
        assertThat(events.all()).contains("bind:eve");
    }

    @Test
    void bindRefusesAnEmptyUidAndASecondBind() throws Exception {
        PitayaClient client = server.connect(Transport.TCP);

        assertThat(error(client.request("echo.bind", new Message("", 0), String.class)).code()).isEqualTo("PIT-400");
        bind(client, "once");
        assertThat(error(client.request("echo.bind", new Message("twice", 0), String.class)).code()).isEqualTo("PIT-400");
        assertThat(events.all()).contains("bind:once").doesNotContain("bind:twice");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void kickSendsAKickAndCloses(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);
        CountDownLatch kicked = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        client.onKick(kicked::countDown);
        client.onClose(closed::countDown);

        client.notify("echo.kickMe", new byte[0]);

        assertThat(kicked.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aKickWithAReasonIsPushedOnTheKickRouteBeforeTheKickAndTheSessionClosesWithIt(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);
        long sessionId = await(client.request("echo.echo", new Message("who", 0), EchoComponent.Reply.class)).session();
        double before = closed("kicked");
        java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        client.onPush("onKick", Map.class, reason -> seen.add("push " + reason.get("code") + " " + reason.get("reason")));
        client.onKick(() -> seen.add("kick"));

        client.notify("echo.kickMeFor", new Message("away too long", 0));

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly("push GAME-AFK away too long", "kick");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.all().contains("closed-because:" + sessionId + ":kicked:GAME-AFK"));
        assertThat(closed("kicked") - before).isEqualTo(1);
    }

    @Test
    void aSessionKickedForADuplicateLoginIsToldWhy() throws Exception {
        PitayaClient older = server.connect(Transport.TCP);
        java.util.concurrent.CompletableFuture<Map<?, ?>> told = new java.util.concurrent.CompletableFuture<>();
        older.onPush("onKick", Map.class, told::complete);
        bind(older, "twice-logged");
        long olderId = pitaya.sessionByUid("twice-logged").id();

        bind(server.connect(Transport.WS), "twice-logged");

        assertThat(told.get(5, TimeUnit.SECONDS).get("code")).isEqualTo("duplicate-session");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> events.all().contains("closed-because:" + olderId + ":duplicate-session:duplicate-session"));
    }

    @Test
    void aClientThatLeavesClosesWithReasonClient() throws Exception {
        PitayaClient client = server.connect(Transport.TCP);
        long sessionId = await(client.request("echo.echo", new Message("bye", 0), EchoComponent.Reply.class)).session();

        client.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> events.all().contains("closed-because:" + sessionId + ":client:client"));
    }

    private double closed(String reason) {
        return context.getBean(io.micrometer.core.instrument.MeterRegistry.class).find("pitaya.acceptor.connections.closed")
                .tag("reason", reason).counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingAConnectionRunsCloseCallbacksAndListeners(Transport transport) throws Exception {
        String uid = "closing-" + transport;
        PitayaClient client = server.connect(transport);
        bind(client, uid);
        long sessionId = pitaya.sessionByUid(uid).id();

        client.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> events.all().contains("close:" + sessionId));
        List<String> all = events.all();
        assertThat(all.indexOf("callback:" + uid)).as("callback before listener").isLessThan(all.indexOf("close:" + sessionId));
        assertThat(pitaya.sessionByUid(uid)).isNull();
        assertThat(pitaya.session(sessionId)).isNull();
    }

    @Test
    void pushToUsersReachesBoundUsersAndReportsTheOthers() throws Exception {
        PitayaClient target = server.connect(Transport.TCP);
        PitayaClient sender = server.connect(Transport.WS);
        bind(target, "push-target");
        BlockingQueue<Map> pushes = new LinkedBlockingQueue<>();
        target.onPush("onPushed", Map.class, pushes::add);

        List<Object> failed = await(sender.request("echo.pushTo", Map.of("uids", List.of("push-target", "nobody")), List.class));

        assertThat(failed).containsExactly("nobody");
        assertThat(pushes.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.of("from", "server"));
    }

    @Test
    void kickUsersKicksBoundUsersAndReportsTheOthers() throws Exception {
        PitayaClient target = server.connect(Transport.WS);
        bind(target, "kick-target");
        CountDownLatch kicked = new CountDownLatch(1);
        target.onKick(kicked::countDown);

        assertThat(pitaya.kickUsers(List.of("kick-target", "nobody"))).containsExactly("nobody");
        assertThat(kicked.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void groupBroadcastReachesEveryMemberOverBothTransports() throws Exception {
        PitayaClient tcp = server.connect(Transport.TCP);
        PitayaClient ws = server.connect(Transport.WS);
        PitayaClient outsider = server.connect(Transport.TCP);
        bind(tcp, "g-tcp");
        bind(ws, "g-ws");
        bind(outsider, "g-outsider");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        tcp.onPush("onBroadcast", Message.class, m -> received.add("tcp:" + m.text()));
        ws.onPush("onBroadcast", Message.class, m -> received.add("ws:" + m.text()));
        outsider.onPush("onBroadcast", Message.class, m -> received.add("outsider:" + m.text()));
        await(tcp.request("echo.join", new Message("lobby", 0), String.class));
        await(ws.request("echo.join", new Message("lobby", 0), String.class));

        assertThat(await(tcp.request("echo.members", new Message("lobby", 0), List.class))).containsExactly("g-tcp", "g-ws");
        assertThat(await(ws.request("echo.broadcast", new Message("lobby", 0), List.class))).isEmpty();

        assertThat(List.of(received.poll(5, TimeUnit.SECONDS), received.poll(5, TimeUnit.SECONDS)))
                .containsExactlyInAnyOrder("tcp:lobby", "ws:lobby");
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();

        tcp.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> pitaya.sessionByUid("g-tcp") == null);
        assertThat(pitaya.groups().broadcast("lobby", "onBroadcast", new Message("again", 1)))
                .as("members not connected are reported").containsExactly("g-tcp");
    }

    @Test
    void groupsCountContainRemoveDeleteAndExpire() throws Exception {
        var groups = pitaya.groups();
        groups.create("ops");
        assertThat(groups.add("ops", "a")).isTrue();
        assertThat(groups.add("ops", "a")).isFalse();
        groups.add("ops", "b");
        assertThat(groups.count("ops")).isEqualTo(2);
        assertThat(groups.contains("ops", "b")).isTrue();
        assertThat(groups.remove("ops", "b")).isTrue();
        assertThat(groups.members("ops")).containsExactly("a");
        groups.removeAll("ops");
        assertThat(groups.count("ops")).isZero();
        groups.delete("ops");
        assertThat(groups.exists("ops")).isFalse();
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.pitaya.PitayaException.class,
                () -> groups.members("ops")).code()).isEqualTo("PIT-404");

        groups.create("short-lived", Duration.ofMillis(100));
        assertThat(groups.exists("short-lived")).isTrue();
        Thread.sleep(250);
        assertThat(groups.exists("short-lived")).isFalse();
    }
}
