package io.pitaya.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.pitaya.protocol.HandshakeResponse;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionLifecycleTest extends ScriptedServerTest {

    @ParameterizedTest
    @EnumSource(ScriptedServer.Transport.class)
    void aKickRunsKickListenersThenTheServersCloseFailsPendingRequestsAndRunsCloseListeners(
            ScriptedServer.Transport transport) throws Exception {
        start(transport);
        PitayaClient client = track(server.client().build());
        List<String> events = new CopyOnWriteArrayList<>();
        client.onKick(() -> events.add("kick"));
        client.onClose(() -> events.add("close"));
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);
        CompletableFuture<byte[]> pending = client.request("room.room.join", new byte[0]);
        connection.take();

        connection.send(new byte[] {0x05, 0x00, 0x00, 0x00});
        connection.close();

        client.closeFuture().get(5, TimeUnit.SECONDS);
        assertThat(events).containsExactly("kick", "close");
        assertThat(pending).isCompletedExceptionally();
        assertThatThrownBy(pending::get).cause().isInstanceOf(ClientClosedException.class);
        assertThat(client.isConnected()).isFalse();
        assertThat(client.pendingRequests()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ScriptedServer.Transport.class)
    void closeFailsPendingRequestsAndRunsCloseListenersOnce(ScriptedServer.Transport transport) throws Exception {
        start(transport);
        PitayaClient client = track(server.client().build());
        AtomicInteger closes = new AtomicInteger();
        client.onClose(closes::incrementAndGet);
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);
        CompletableFuture<byte[]> first = client.request("room.room.join", new byte[0]);
        CompletableFuture<byte[]> second = client.request("room.room.join", new byte[0]);
        connection.take();

        client.close();
        client.close();

        client.closeFuture().get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(ClientClosedException.class);
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(ClientClosedException.class);
        assertThat(closes).hasValue(1);
        assertThat(connection.awaitClosed()).isTrue();
        assertThatThrownBy(() -> client.request("room.room.join", new byte[0]).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(ClientClosedException.class);
        AtomicInteger late = new AtomicInteger();
        client.onClose(late::incrementAndGet);
        assertThat(late).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(ScriptedServer.Transport.class)
    void heartbeatsAreSentEveryAnnouncedIntervalAfterTheAck(ScriptedServer.Transport transport) throws Exception {
        start(transport);
        PitayaClient client = track(server.client().build());
        ScriptedServer.Connection connection = server.connect(client,
                new HandshakeResponse(200, Duration.ofMillis(200), Map.of(), "json"));
        long acked = System.nanoTime();

        List<Long> arrivals = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(connection.take().type()).isEqualTo(PacketType.HEARTBEAT);
            arrivals.add(System.nanoTime());
        }

        // Scheduled at a fixed rate from the ack: the k-th is due k intervals later. Loaded machines
        // deliver late, never early, so the upper bound is loose.
        for (int k = 1; k <= arrivals.size(); k++) {
            assertThat(arrivals.get(k - 1) - acked)
                    .isBetween(Duration.ofMillis(200L * k - 60).toNanos(), Duration.ofMillis(200L * k + 1000).toNanos());
        }
    }

    @Test
    void whenHeartbeatsAreDisabledThenNoneIsSent() throws Exception {
        start(ScriptedServer.Transport.TCP);
        PitayaClient client = track(server.client().heartbeats(false).build());
        ScriptedServer.Connection connection = server.connect(client,
                new HandshakeResponse(200, Duration.ofMillis(100), Map.of(), "json"));

        assertThat(connection.poll(Duration.ofMillis(400))).isNull();
    }

    @Test
    void theTimeOfTheLastHeartbeatReceivedIsRecordedAndEveryPacketReachesPacketListeners() throws Exception {
        start(ScriptedServer.Transport.TCP);
        PitayaClient client = track(server.client().build());
        List<PacketType> seen = new CopyOnWriteArrayList<>();
        CountDownLatch heartbeat = new CountDownLatch(1);
        client.onPacket(p -> seen.add(p.type()));
        client.onPacket(p -> {
            if (p.type() == PacketType.HEARTBEAT) {
                heartbeat.countDown();
            }
        });
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);
        assertThat(client.lastHeartbeatReceivedNanos()).isZero();
        long before = System.nanoTime();

        connection.send(Packet.of(PacketType.HEARTBEAT));

        assertThat(heartbeat.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(client.lastHeartbeatReceivedNanos() - before).isPositive();
        assertThat(seen).containsExactly(PacketType.HANDSHAKE, PacketType.HEARTBEAT);
    }

    @Test
    void aSharedEventLoopGroupIsNotShutDownByTheClient() throws Exception {
        start(ScriptedServer.Transport.TCP);
        EventLoopGroup shared = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            PitayaClient first = track(server.client().eventLoopGroup(shared).build());
            PitayaClient second = track(server.client().eventLoopGroup(shared).build());
            ScriptedServer.Connection firstConnection = server.connect(first, ACCEPTED);
            server.connect(second, ACCEPTED);

            first.close();
            first.closeFuture().get(5, TimeUnit.SECONDS);

            assertThat(shared.isShuttingDown()).isFalse();
            assertThat(firstConnection.awaitClosed()).isTrue();
            assertThat(second.isConnected()).isTrue();
        } finally {
            shared.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aPacketAboveMaxPacketSizeClosesTheConnection() throws Exception {
        start(ScriptedServer.Transport.TCP);
        PitayaClient client = track(server.client().maxPacketSize(150).build());
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);
        CompletableFuture<byte[]> pending = client.request("room.room.join", new byte[0]);
        connection.take();

        connection.send(Message.push("chat.onMessage", new byte[300]), SERVER_CODEC);

        client.closeFuture().get(5, TimeUnit.SECONDS);
        assertThatThrownBy(pending::get).cause().isInstanceOf(ClientClosedException.class)
                .hasRootCauseInstanceOf(TooLongFrameException.class);
        assertThat(connection.awaitClosed()).isTrue();
    }

    @Test
    void anUnknownPacketTypeClosesTheConnection() throws Exception {
        start(ScriptedServer.Transport.TCP);
        PitayaClient client = track(server.client().build());
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);

        connection.send(new byte[] {0x09, 0x00, 0x00, 0x00});

        client.closeFuture().get(5, TimeUnit.SECONDS);
        assertThat(connection.awaitClosed()).isTrue();
    }
}
