package io.pitaya.client;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.pitaya.PitayaException;
import io.pitaya.protocol.HandshakeRequest;
import io.pitaya.protocol.HandshakeResponse;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.Zlib;
import io.pitaya.serialize.ProtobufSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandshakeTest extends ScriptedServerTest {

    @ParameterizedTest
    @EnumSource(ScriptedServer.Transport.class)
    void connectSendsHandshakeWithSysAndUserThenAcksAndReturnsTheAnswer(ScriptedServer.Transport transport) throws Exception {
        start(transport);
        PitayaClient client = track(server.client()
                .handshakeUser(Map.of("uid", "42"))
                .clientVersion("1.2.3")
                .clientBuildNumber("77")
                .build());

        var connecting = client.connect();
        ScriptedServer.Connection connection = server.accept();
        HandshakeRequest request = connection.answerHandshake(ACCEPTED, false);

        assertThat(request.platform()).isEqualTo("java");
        assertThat(request.libVersion()).isNotBlank().isNotEqualTo("unknown").doesNotContain("${");
        assertThat(request.clientVersion()).isEqualTo("1.2.3");
        assertThat(request.clientBuildNumber()).isEqualTo("77");
        assertThat(request.user()).isEqualTo(Map.of("uid", "42"));
        assertThat(connection.take()).isEqualTo(Packet.of(PacketType.HANDSHAKE_ACK));
        HandshakeResponse answer = connecting.get(5, TimeUnit.SECONDS);
        assertThat(answer.code()).isEqualTo(200);
        assertThat(answer.dict()).isEqualTo(DICT);
        assertThat(client.handshakeResponse()).isEqualTo(answer);
        assertThat(client.serializer().name()).isEqualTo("json");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void whenTheAnswerIsZlibDeflatedThenItIsInflated() throws Exception {
        start(ScriptedServer.Transport.TCP);
        Map<String, Integer> dict = new LinkedHashMap<>();
        for (int i = 1; i <= 40; i++) {
            dict.put("room.room.method" + i, i);
        }
        HandshakeResponse response = new HandshakeResponse(200, Duration.ofSeconds(30), dict, "json");
        assertThat(Zlib.looksLikeZlib(ScriptedServer.HANDSHAKE_CODEC.encodeResponse(response, true))).isTrue();
        PitayaClient client = track(server.client().build());

        var connecting = client.connect();
        ScriptedServer.Connection connection = server.accept();
        connection.answerHandshake(response, true);

        assertThat(connection.take().type()).isEqualTo(PacketType.HANDSHAKE_ACK);
        assertThat(connecting.get(5, TimeUnit.SECONDS).dict()).isEqualTo(dict);
    }

    @ParameterizedTest
    @EnumSource(ScriptedServer.Transport.class)
    void whenTheServerRefusesWithCode400ThenConnectFailsWithPitayaExceptionAndNoAckIsSent(ScriptedServer.Transport transport)
            throws Exception {
        start(transport);
        PitayaClient client = track(server.client().build());

        var connecting = client.connect();
        ScriptedServer.Connection connection = server.accept();
        connection.answerHandshake(HandshakeResponse.refused(), false);

        assertThatThrownBy(() -> connecting.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(PitayaException.class, e -> assertThat(e.code()).isEqualTo("PIT-400"));
        assertThat(connection.poll(Duration.ofMillis(200))).isNull();
        assertThat(client.handshakeResponse()).isNull();
    }

    @Test
    void whenTheServerDoesNotAnswerThenTheHandshakeTimesOut() throws Exception {
        start(ScriptedServer.Transport.TCP);
        PitayaClient client = track(server.client().requestTimeout(Duration.ofMillis(200)).build());

        var connecting = client.connect();
        server.accept().take();

        assertThatThrownBy(() -> connecting.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);
    }

    @Test
    void whenHandshakeWithoutAckThenNoAckIsSentAndLowLevelSendsGoOutAsTheyAre() throws Exception {
        start(ScriptedServer.Transport.TCP);
        PitayaClient client = track(server.client().build());
        client.open().get(5, TimeUnit.SECONDS);
        ScriptedServer.Connection connection = server.accept();

        var handshaking = client.handshake(false);
        connection.answerHandshake(ACCEPTED, false);

        assertThat(handshaking.get(5, TimeUnit.SECONDS).code()).isEqualTo(200);
        assertThat(connection.poll(Duration.ofMillis(200))).isNull();
        client.sendPacket(Packet.of(PacketType.HANDSHAKE_ACK));
        client.sendRaw(new byte[] {0x04, 0x00, 0x00, 0x03, 0x02, 0x01, 0x61});
        assertThat(connection.take()).isEqualTo(Packet.of(PacketType.HANDSHAKE_ACK));
        assertThat(connection.take()).isEqualTo(new Packet(PacketType.DATA, new byte[] {0x02, 0x01, 0x61}));
    }

    @Test
    void whenTheServerAnnouncesProtobufThenTheProtobufSerializerIsChosen() throws Exception {
        start(ScriptedServer.Transport.TCP);
        PitayaClient client = track(server.client().build());

        server.connect(client, new HandshakeResponse(200, Duration.ofSeconds(30), Map.of(), "protobuf"));

        assertThat(client.serializer()).isInstanceOf(ProtobufSerializer.class);
    }

    @Test
    void whenTheWebSocketUpgradeIsNotAnsweredThenOpenFailsWithTimeout() throws Exception {
        start(ScriptedServer.Transport.WEBSOCKET);
        PitayaClient client = track(PitayaClient.builder()
                .websocket(URI.create("ws://127.0.0.1:" + server.port() + "/elsewhere"))
                .connectTimeout(Duration.ofMillis(300))
                .build());

        assertThatThrownBy(() -> client.open().get(5, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);
        client.closeFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void whenNothingListensThenConnectFailsAndCloseListenersRun() throws Exception {
        start(ScriptedServer.Transport.TCP);
        int port = server.port();
        server.close();
        PitayaClient client = track(PitayaClient.builder().tcp("127.0.0.1", port).build());
        int[] closes = new int[1];
        client.onClose(() -> closes[0]++);

        assertThatThrownBy(() -> client.connect().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        client.closeFuture().get(5, TimeUnit.SECONDS);
        assertThat(closes[0]).isEqualTo(1);
        assertThat(client.isConnected()).isFalse();
        server = null;
    }
}
