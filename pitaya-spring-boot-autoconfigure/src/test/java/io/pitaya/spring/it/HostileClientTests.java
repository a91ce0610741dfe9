package io.pitaya.spring.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pitaya.ErrorCodes;
import io.pitaya.client.PitayaClient;
import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.RouteDictionary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.SpringBootTest;

import static io.pitaya.spring.it.Futures.await;
import static io.pitaya.spring.it.Futures.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One rule per test, attacked over real sockets on both transports while {@link Bystanders} play beside the
 * attack: they must keep their heartbeats, answers and broadcasts on time, and stay connected.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pitaya.server.type=game",
        "pitaya.acceptor.tcp.port=0",
        "pitaya.heartbeat.interval=1s",
        "pitaya.handshake.timeout=2s",
        "pitaya.acceptor.send-time-limit=2s",
        "pitaya.acceptor.outbound-buffer-limit=256KB",
        "pitaya.acceptor.inbound-queue-size=8",
        "pitaya.dispatch.handler-timeout=1s"
})
class HostileClientTests extends ServerTestSupport {

    private static final long MAX_DELAY_MILLIS = 1000;
    private static final long MAX_HEARTBEAT_GAP_MILLIS = 2500;

    private Bystanders bystanders;
    private final List<RawClient> raws = new ArrayList<>();

    @BeforeEach
    void bystanders() throws Exception {
        bystanders = new Bystanders(server, "room");
    }

    @AfterEach
    void closeRaws() throws Exception {
        bystanders.close();
        for (RawClient raw : raws) {
            raw.close();
        }
    }

    private RawClient raw(Transport transport, int receiveBuffer) throws Exception {
        RawClient raw = RawClient.open(transport, server, receiveBuffer);
        raws.add(raw);
        return raw;
    }

    private double count(String name, String tag, String value) {
        return context.getBean(MeterRegistry.class).find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHandshakeHeaderAnnouncingMoreThanTheHandshakeLimitIsClosedAtOnce(Transport transport) throws Exception {
        double before = count("pitaya.acceptor.handshakes.refused", "reason", "too-large");
        List<RawClient> attackers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            attackers.add(raw(transport, 0).send(new byte[] {1, 0x10, 0, 0})); // Handshake of 1 MiB, then nothing
        }
        for (RawClient attacker : attackers) {
            assertThat(attacker.closedByServerWithin(1500)).as("closed on the header, long before the 2 s handshake timeout").isTrue();
        }
        assertThat(count("pitaya.acceptor.handshakes.refused", "reason", "too-large") - before).isEqualTo(50);
        bystanders.assertUnharmed(MAX_DELAY_MILLIS, MAX_HEARTBEAT_GAP_MILLIS);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUnfinishedHandshakeWithinTheLimitIsClosedAtTheHandshakeTimeout(Transport transport) throws Exception {
        RawClient attacker = raw(transport, 0).send(new byte[] {1, 0, 0x0f, (byte) 0xa0, '{'}); // 4,000 bytes announced, 1 sent
        assertThat(attacker.closedByServerWithin(1000)).as("still waiting within the timeout").isFalse();
        assertThat(attacker.closedByServerWithin(4000)).as("closed at the 2 s handshake timeout").isTrue();
        bystanders.assertUnharmed(MAX_DELAY_MILLIS, MAX_HEARTBEAT_GAP_MILLIS);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHandshakeOutsideTheAllowedShapeIsRefusedWithCode400(Transport transport) throws Exception {
        StringBuilder user = new StringBuilder("{\"sys\":{\"platform\":\"raw\"},\"user\":{");
        for (int i = 0; i < HandshakeCodec.DEFAULT_MAX_ENTRIES + 10; i++) {
            user.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        RawClient attacker = raw(transport, 0).send(PacketType.HANDSHAKE, user + "}}");
        Packet answer = attacker.readPacket();
        assertThat(answer.type()).isEqualTo(PacketType.HANDSHAKE);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("\"code\":400");
        assertThat(attacker.closedByServerWithin(3000)).isTrue();
        assertThat(count("pitaya.acceptor.handshakes.refused", "reason", "invalid")).isPositive();
        bystanders.assertUnharmed(MAX_DELAY_MILLIS, MAX_HEARTBEAT_GAP_MILLIS);
    }

    @Test
    void slowHandshakeValidatorsRunOnHandlerThreadsAndStallNoOtherConnection() throws Exception {
        TestGameApplication.VALIDATOR_THREADS.clear();
        List<CompletableFuture<?>> slow = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            PitayaClient client = server.track(server.builder(i % 2 == 0 ? Transport.TCP : Transport.WS)
                    .handshakeUser(Map.of("validatorSleepsMillis", 1500)).build());
            slow.add(client.connect());
        }
        Thread.sleep(200);
        long start = System.nanoTime();
        for (Transport transport : Transport.values()) {
            PitayaClient fresh = server.connect(transport);
            assertThat(await(fresh.request("echo.noArgs", new byte[0], String.class))).isEqualTo("no args");
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("new players connect while validators sleep")
                .isLessThan(1000);
        for (CompletableFuture<?> done : slow) {
            done.get(10, TimeUnit.SECONDS);
        }
        assertThat(TestGameApplication.VALIDATOR_THREADS).hasSize(6).allSatisfy(name -> assertThat(name).startsWith("pitaya-handler"));
        bystanders.assertUnharmed(MAX_DELAY_MILLIS, MAX_HEARTBEAT_GAP_MILLIS);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSlowReaderIsClosedAtTheOutboundLimitAndDelaysNobodysBroadcasts(Transport transport) throws Exception {
        double before = count("pitaya.acceptor.slow.readers.closed", "reason", "buffer");
        double closedBefore = count("pitaya.acceptor.connections.closed", "reason", "slow-reader");
        RawClient slow = raw(transport, 4096).handshake();
        slow.send(Message.request(1, "echo.bind", json("{\"text\":\"slow-" + transport + "\",\"n\":0}")));
        assertThat(slow.readPacket().type()).isEqualTo(PacketType.DATA);
        slow.send(Message.request(2, "echo.join", json("{\"text\":\"room\",\"n\":0}")));
        assertThat(slow.readPacket().type()).isEqualTo(PacketType.DATA);
        // From now on the slow reader reads nothing, while the room gets ~10 MB of incompressible chat.
        PitayaClient flooder = server.connect(Transport.TCP);
        String padding = randomText(16 * 1024);
        List<CompletableFuture<List>> shouts = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            if (i % 5 == 0) {
                Thread.sleep(25); // ~3 MB/s in bursts of 80 KB: a busy room, not a burst over a healthy reader's limit
            }
            shouts.add(flooder.request("echo.shout", new EchoComponent.Message("room:" + System.nanoTime() + ":" + padding, -1 - i),
                    List.class, Duration.ofSeconds(20)));
        }
        assertThat(slow.closedByServerWithin(10_000)).as("the slow reader is closed").isTrue();
        for (CompletableFuture<List> shout : shouts) {
            shout.get(20, TimeUnit.SECONDS);
        }
        assertThat(count("pitaya.acceptor.slow.readers.closed", "reason", "buffer") - before).isEqualTo(1);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> count("pitaya.acceptor.connections.closed", "reason", "slow-reader") - closedBefore == 1);
        bystanders.assertUnharmed(MAX_DELAY_MILLIS, MAX_HEARTBEAT_GAP_MILLIS);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void zlibBombsAreRefusedBeyondTheInflatedLimitAndHurtNoOne(Transport transport) throws Exception {
        double before = count("pitaya.acceptor.limit.exceeded", "limit", "inflated-size");
        MessageCodec compressing = new MessageCodec(RouteDictionary.empty(), true, Packet.MAX_BODY_LENGTH);
        byte[] bomb = Packet.encode(PacketType.DATA, compressing.encode(
                Message.notify("echo.tell", json("{\"text\":\"" + "a".repeat(1 << 20) + "\",\"n\":1}"))));
        assertThat(bomb.length).as("a 1 MiB body in about a kilobyte").isLessThan(4096);
        List<RawClient> attackers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RawClient attacker = raw(transport, 0).handshake();
            try {
                for (int j = 0; j < 100; j++) {
                    attacker.send(bomb);
                }
            } catch (java.io.IOException closedMeanwhile) {
                // the server closed it on the first bomb
            }
            attackers.add(attacker);
        }
        for (RawClient attacker : attackers) {
            assertThat(attacker.closedByServerWithin(5000)).isTrue();
        }
        assertThat(count("pitaya.acceptor.limit.exceeded", "limit", "inflated-size") - before).isEqualTo(4);
        bystanders.assertUnharmed(MAX_DELAY_MILLIS, MAX_HEARTBEAT_GAP_MILLIS);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void compressedBodiesWithinTheInflatedLimitAreHandled(Transport transport) throws Exception {
        PitayaClient client = server.connect(server.builder(transport).compressData(true));
        String text = "z".repeat(30_000);
        assertThat(await(client.request("echo.echo", new EchoComponent.Message(text, 3), EchoComponent.Reply.class)).text()).isEqualTo(text);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAsyncHandlerThatNeverAnswersGetsPit408AndTheSessionMovesOn(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);
        await(client.request("echo.bind", new EchoComponent.Message("never-" + transport, 0), String.class));

        assertThat(error(client.request("echo.never", new byte[0])).code()).isEqualTo(ErrorCodes.TIMEOUT);
        assertThat(await(client.request("echo.noArgs", new byte[0], String.class))).as("the next message runs").isEqualTo("no args");

        client.close();
        Events events = context.getBean(Events.class);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> events.all().contains("callback:never-" + transport));
        bystanders.assertUnharmed(MAX_DELAY_MILLIS, MAX_HEARTBEAT_GAP_MILLIS);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aConnectionWhoseReadingTheServerPausedIsNotTimedOutForSilence(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);
        CompletableFuture<String> blocked = client.request("echo.block", new byte[0], String.class, Duration.ofSeconds(20));
        List<CompletableFuture<String>> queued = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            queued.add(client.request("echo.noArgs", new byte[0], String.class, Duration.ofSeconds(20)));
        }
        Thread.sleep(3500); // more than twice the heartbeat interval: the client's heartbeats wait unread
        server.connect(Transport.TCP).notify("echo.release", new byte[0]);

        assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo("released");
        for (CompletableFuture<String> answer : queued) {
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("no args");
        }
        assertThat(client.isConnected()).isTrue();
        bystanders.assertUnharmed(MAX_DELAY_MILLIS, MAX_HEARTBEAT_GAP_MILLIS);
    }

    @Test
    void browsersOfOtherOriginsAreRefusedByDefaultAndClientsWithoutOriginAreNot() throws Exception {
        try (RawWebSocketClient foreign = new RawWebSocketClient(server.httpPort(), "/pitaya", "http://evil.example", 0)) {
            assertThat(foreign.status()).isEqualTo(403);
        }
        try (RawWebSocketClient same = new RawWebSocketClient(server.httpPort(), "/pitaya", "http://127.0.0.1:" + server.httpPort(), 0)) {
            assertThat(same.status()).isEqualTo(101);
        }
        try (RawWebSocketClient native_ = new RawWebSocketClient(server.httpPort(), "/pitaya", null, 0)) {
            assertThat(native_.status()).isEqualTo(101);
        }
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String randomText(int length) {
        byte[] bytes = new byte[length * 3 / 4];
        new Random(length).nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A reader that stops for good while the room is quiet: nothing passes the outbound limit, the send-time limit closes it. */
    @org.junit.jupiter.api.Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "pitaya.server.type=game",
            "pitaya.acceptor.tcp.port=0",
            "pitaya.heartbeat.interval=4s", // the stuck client's silence (8 s) is not what closes it
            "pitaya.acceptor.send-time-limit=2s",
            "pitaya.acceptor.outbound-buffer-limit=64MB"
    })
    class Stalled extends ServerTestSupport {

        @ParameterizedTest
        @EnumSource(Transport.class)
        void aClientThatLeavesBytesUnreadPastTheSendTimeLimitIsClosed(Transport transport) throws Exception {
            try (Bystanders others = new Bystanders(server, "quiet"); RawClient stuck = RawClient.open(transport, server, 4096)) {
                double before = stalledClosed();
                stuck.handshake();
                // 200 x 64 KiB of random bytes: more than the kernel's socket buffers hold, far less than 64 MB.
                stuck.send(Message.request(1, "echo.flood", json("{\"text\":\"\",\"n\":65536}")));
                long start = System.nanoTime();
                // Not reading meanwhile (reading would be progress): the send-time limit must close it.
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(50))
                        .until(() -> stalledClosed() > before);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("closed after the 2 s send-time limit")
                        .isGreaterThanOrEqualTo(1500);
                assertThat(stuck.closedByServerWithin(5000)).isTrue();
                others.assertUnharmed(MAX_DELAY_MILLIS, 9000);
            }
        }

        private double stalledClosed() {
            return context.getBean(MeterRegistry.class).find("pitaya.acceptor.slow.readers.closed").tag("reason", "stalled")
                    .counters().stream().mapToDouble(Counter::count).sum();
        }
    }
}
