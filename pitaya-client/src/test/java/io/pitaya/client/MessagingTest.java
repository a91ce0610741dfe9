package io.pitaya.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.pitaya.PitayaException;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.MessageType;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.RouteDictionary;
import io.pitaya.serialize.JsonSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessagingTest extends ScriptedServerTest {

    public record Join(String name) {
    }

    public record Joined(String room, int members) {
    }

    private static final JsonSerializer JSON = new JsonSerializer();

    @ParameterizedTest
    @EnumSource(ScriptedServer.Transport.class)
    void requestsGetIncreasingIdsFromOneAndCompleteWithTheirResponses(ScriptedServer.Transport transport) throws Exception {
        start(transport);
        PitayaClient client = track(server.client().build());
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);

        CompletableFuture<byte[]> raw = client.request("connector.entry.ping", "ping".getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Joined> typed = client.request("room.room.join", new Join("a"), Joined.class);

        Message first = connection.takeMessage(SERVER_CODEC);
        Message second = connection.takeMessage(SERVER_CODEC);
        assertThat(first).isEqualTo(Message.request(1, "connector.entry.ping", "ping".getBytes(StandardCharsets.UTF_8)));
        assertThat(second.id()).isEqualTo(2);
        assertThat(second.route()).isEqualTo("room.room.join");
        assertThat(JSON.<Join>unmarshal(second.data(), Join.class)).isEqualTo(new Join("a"));
        // Answer out of order: ids, not arrival order, pair responses with requests.
        connection.send(Message.response(2, JSON.marshal(new Joined("lobby", 3))), SERVER_CODEC);
        connection.send(Message.response(1, "pong".getBytes(StandardCharsets.UTF_8)), SERVER_CODEC);
        assertThat(typed.get(5, TimeUnit.SECONDS)).isEqualTo(new Joined("lobby", 3));
        assertThat(raw.get(5, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("pong");
        assertThat(client.pendingRequests()).isZero();
    }

    @Test
    void routesInTheServersDictionaryTravelAsCodes() throws Exception {
        start(ScriptedServer.Transport.TCP);
        PitayaClient client = track(server.client().build());
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);

        client.request("room.room.join", new byte[0]);

        assertThat(connection.take().body()).containsExactly(0x01, 0x01, 0x00, 0x01);
    }

    @Test
    void whenRouteDictionaryIsNotUsedThenRoutesTravelAsText() throws Exception {
        start(ScriptedServer.Transport.TCP);
        PitayaClient client = track(server.client().useRouteDictionary(false).build());
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);

        client.request("room.room.join", new byte[0]);

        byte[] body = connection.take().body();
        assertThat(body[0]).isEqualTo((byte) 0x00);
        assertThat(new MessageCodec().decode(body).route()).isEqualTo("room.room.join");
    }

    @Test
    void whenCompressDataThenLargeBodiesAreDeflatedAndFlagged() throws Exception {
        start(ScriptedServer.Transport.TCP);
        PitayaClient client = track(server.client().compressData(true).build());
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);
        byte[] body = "abc".repeat(500).getBytes(StandardCharsets.UTF_8);

        client.request("room.room.join", body);
        client.notify("room.room.chat", body);

        for (MessageType type : new MessageType[] {MessageType.REQUEST, MessageType.NOTIFY}) {
            Packet packet = connection.take();
            assertThat(packet.body()[0] & 0x10).isEqualTo(0x10);
            assertThat(packet.body().length).isLessThan(body.length);
            Message message = SERVER_CODEC.decode(packet.body());
            assertThat(message.type()).isEqualTo(type);
            assertThat(message.data()).isEqualTo(body);
        }
    }

    @ParameterizedTest
    @EnumSource(ScriptedServer.Transport.class)
    void anErrorResponseFailsTheRequestWithPitayaExceptionFields(ScriptedServer.Transport transport) throws Exception {
        start(transport);
        PitayaClient client = track(server.client().build());
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);

        CompletableFuture<Joined> joining = client.request("room.room.join", new Join("a"), Joined.class);
        long id = connection.takeMessage(SERVER_CODEC).id();
        connection.send(Message.errorResponse(id, JSON.marshalError(
                new PitayaException("GAME-7", "room is full", Map.of("room", "lobby")))), SERVER_CODEC);

        assertThatThrownBy(() -> joining.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(PitayaException.class, e -> {
                    assertThat(e.code()).isEqualTo("GAME-7");
                    assertThat(e.getMessage()).isEqualTo("room is full");
                    assertThat(e.metadata()).isEqualTo(Map.of("room", "lobby"));
                });
    }

    @Test
    void whenNoResponseArrivesInTimeThenTheRequestFailsWithTimeoutAndALateResponseIsIgnored() throws Exception {
        start(ScriptedServer.Transport.TCP);
        PitayaClient client = track(server.client().requestTimeout(Duration.ofSeconds(30)).build());
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);

        CompletableFuture<byte[]> slow = client.request("room.room.join", new byte[0], Duration.ofMillis(150));
        long id = connection.takeMessage(SERVER_CODEC).id();

        assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);
        assertThat(client.pendingRequests()).isZero();
        connection.send(Message.response(id, new byte[] {1}), SERVER_CODEC);
        CompletableFuture<byte[]> next = client.request("room.room.join", new byte[0]);
        connection.send(Message.response(connection.takeMessage(SERVER_CODEC).id(), new byte[] {2}), SERVER_CODEC);
        assertThat(next.get(5, TimeUnit.SECONDS)).containsExactly(2);
        assertThat(client.isConnected()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(ScriptedServer.Transport.class)
    void notifiesReachTheServerWithRouteAndSerializedPayload(ScriptedServer.Transport transport) throws Exception {
        start(transport);
        PitayaClient client = track(server.client().build());
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);

        client.notify("room.room.chat", Map.of("text", "hi"));
        client.notify("room.room.chat", new byte[] {7});

        Message typed = connection.takeMessage(SERVER_CODEC);
        assertThat(typed.type()).isEqualTo(MessageType.NOTIFY);
        assertThat(typed.route()).isEqualTo("room.room.chat");
        assertThat(new String(typed.data(), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"hi\"}");
        assertThat(connection.takeMessage(SERVER_CODEC)).isEqualTo(Message.notify("room.room.chat", new byte[] {7}));
    }

    @ParameterizedTest
    @EnumSource(ScriptedServer.Transport.class)
    void pushesWithARouteCodeReachTheirListeners(ScriptedServer.Transport transport) throws Exception {
        start(transport);
        PitayaClient client = track(server.client().build());
        CompletableFuture<Joined> typed = new CompletableFuture<>();
        CompletableFuture<byte[]> raw = new CompletableFuture<>();
        client.onPush("room.room.onMessage", Joined.class, typed::complete);
        client.onPush("room.room.onMessage", raw::complete);
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);

        byte[] message = SERVER_CODEC.encode(Message.push("room.room.onMessage", JSON.marshal(new Joined("lobby", 2))));
        assertThat(message).startsWith(0x07, 0x00, 0x02);
        connection.send(new Packet(PacketType.DATA, message));

        assertThat(typed.get(5, TimeUnit.SECONDS)).isEqualTo(new Joined("lobby", 2));
        assertThat(raw.get(5, TimeUnit.SECONDS)).isEqualTo(JSON.marshal(new Joined("lobby", 2)));
    }

    @Test
    void aZlibPushBodyIsInflated() throws Exception {
        start(ScriptedServer.Transport.TCP);
        PitayaClient client = track(server.client().build());
        CompletableFuture<byte[]> pushed = new CompletableFuture<>();
        client.onPush("chat.onMessage", pushed::complete);
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);
        byte[] body = "hello ".repeat(200).getBytes(StandardCharsets.UTF_8);

        byte[] message = new MessageCodec(RouteDictionary.empty(), true, Packet.MAX_BODY_LENGTH)
                .encode(Message.push("chat.onMessage", body));
        assertThat(message[0] & 0x10).isEqualTo(0x10);
        connection.send(new Packet(PacketType.DATA, message));

        assertThat(pushed.get(5, TimeUnit.SECONDS)).isEqualTo(body);
    }
}
