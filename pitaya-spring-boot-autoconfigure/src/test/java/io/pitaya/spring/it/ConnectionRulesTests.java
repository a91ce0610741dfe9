package io.pitaya.spring.it;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.pitaya.client.PitayaClient;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.Zlib;
import io.pitaya.spring.internal.session.SessionRegistry;
import io.pitaya.spring.it.EchoComponent.Message;
import io.pitaya.spring.it.EchoComponent.Reply;
import io.pitaya.spring.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.SpringBootTest;

import static io.pitaya.spring.it.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Heartbeats, handshake timeout, compression and the slow-reader limit, with short timings. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pitaya.server.type=game",
        "pitaya.acceptor.tcp.port=0",
        "pitaya.heartbeat.interval=500ms",
        "pitaya.handshake.timeout=500ms",
        "pitaya.handshake.compression=true",
        "pitaya.message.compression=true",
        "pitaya.acceptor.outbound-buffer-limit=64KB",
        "pitaya.route-dictionary[game.echo.echo]=1",
        "pitaya.route-dictionary[game.echo.later]=2",
        "pitaya.route-dictionary[game.echo.map]=3",
        "pitaya.route-dictionary[game.echo.tell]=4",
        "pitaya.route-dictionary[onTold]=5"
})
class ConnectionRulesTests extends ServerTestSupport {

    @Test
    void theServerSendsHeartbeatsAtItsInterval() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            raw.handshake();
            assertThat(raw.readPacket().type()).isEqualTo(PacketType.HEARTBEAT);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSilentClientIsClosedAfterTwiceTheInterval(Transport transport) throws Exception {
        PitayaClient silent = server.connect(server.builder(transport).heartbeats(false));
        PitayaClient alive = server.connect(transport);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        silent.onClose(() -> closed.complete(null));
        double timedOut = closedFor("heartbeat-timeout");

        closed.get(10, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> closedFor("heartbeat-timeout") - timedOut == 1);
        Thread.sleep(1200);
        assertThat(await(alive.request("echo.noArgs", new byte[0], String.class)))
                .as("a client that sends heartbeats stays").isEqualTo("no args");
    }

    private double closedFor(String reason) {
        return context.getBean(io.micrometer.core.instrument.MeterRegistry.class).find("pitaya.acceptor.connections.closed")
                .tag("reason", reason).counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Test
    void aConnectionWithoutHandshakeIsClosedAfterTheTimeout() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            assertThat(raw.closedByServerWithin(3000)).isTrue();
        }
    }

    @Test
    void aConnectionWithoutHandshakeAckIsClosedAfterTheTimeout() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            raw.send(PacketType.HANDSHAKE, "{\"sys\":{},\"user\":{}}");
            assertThat(raw.readPacket().type()).isEqualTo(PacketType.HANDSHAKE);
            assertThat(raw.closedByServerWithin(3000)).isTrue();
        }
    }

    @Test
    void theHandshakeAnswerIsDeflatedWhenThatIsSmaller() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            raw.send(PacketType.HANDSHAKE, "{\"sys\":{},\"user\":{}}");
            byte[] body = raw.readPacket().body();
            assertThat(Zlib.looksLikeZlib(body)).isTrue();
            assertThat(new String(Zlib.inflate(body, 1 << 20))).contains("\"game.echo.later\":2");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void largeBodiesAreDeflatedAndRoutesTravelAsCodes(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);
        BlockingQueue<Packet> data = new LinkedBlockingQueue<>();
        client.onPacket(p -> {
            if (p.type() == PacketType.DATA) {
                data.add(p);
            }
        });
        BlockingQueue<Message> pushes = new LinkedBlockingQueue<>();
        client.onPush("onTold", Message.class, pushes::add);
        String text = "y".repeat(5000);

        assertThat(await(client.request("game.echo.echo", new Message(text, 1), Reply.class)).text()).isEqualTo(text);
        byte[] response = data.poll(5, TimeUnit.SECONDS).body();
        assertThat(response[0] & 0x10).as("zlib flag on the response").isEqualTo(0x10);

        client.notify("game.echo.tell", new Message(text, 2));
        assertThat(pushes.poll(5, TimeUnit.SECONDS)).isEqualTo(new Message(text, 2));
        byte[] push = data.poll(5, TimeUnit.SECONDS).body();
        assertThat(push[0] & 0x01).as("route code flag on the push").isEqualTo(0x01);
        assertThat(new byte[] {push[1], push[2]}).as("route code of onTold").containsExactly(0, 5);
    }

    @Test
    void aSlowReaderIsClosedWhenItsOutboundBufferPassesTheLimit() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            raw.handshake();
            byte[] body = "{\"text\":\"\",\"n\":262144}".getBytes();
            raw.send(Packet.encode(PacketType.DATA,
                    new MessageCodec().encode(io.pitaya.protocol.Message.request(1, "echo.flood", body))));
            Thread.sleep(1000); // read nothing while the server pushes 200 x 256 KiB
            assertThat(raw.closedByServerWithin(5000)).isTrue();
        }
        PitayaClient other = server.connect(Transport.TCP);
        assertThat(await(other.request("echo.map", Map.of("still", "up"), Map.class))).isEqualTo(Map.of("still", "up"));
    }

    @Test
    void aClientThatStopsReadingForGoodIsClosedAndLeavesTheRegistry() throws Exception {
        SessionRegistry sessions = context.getBean(SessionRegistry.class);
        Set<Long> others = ids(sessions);
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            raw.handshake();
            byte[] body = "{\"text\":\"\",\"n\":262144}".getBytes();
            raw.send(Packet.encode(PacketType.DATA,
                    new MessageCodec().encode(io.pitaya.protocol.Message.request(1, "echo.flood", body))));
            // Never read again: the server must not wait forever for 50 MB of pushes to drain.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Set<Long> mine = Set.of();
            while (mine.isEmpty() && System.nanoTime() < deadline) {
                mine = ids(sessions);
                mine.removeAll(others);
                Thread.sleep(5);
            }
            assertThat(mine).as("the session opened").hasSize(1);
            while (ids(sessions).containsAll(mine) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ids(sessions)).as("the server closed the session of the client that stopped reading").doesNotContainAnyElementsOf(mine);
        }
    }

    static Set<Long> ids(SessionRegistry sessions) {
        return sessions.sessions().stream().map(Session::id).collect(Collectors.toCollection(HashSet::new));
    }

    @Test
    void heartbeatIntervalIsAnnouncedInSeconds() throws Exception {
        PitayaClient client = server.connect(Transport.TCP);

        assertThat(client.handshakeResponse().heartbeat()).isEqualTo(Duration.ofMillis(500));
    }
}
