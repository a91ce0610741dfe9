package io.pitaya.spring.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.pitaya.PitayaException;
import io.pitaya.client.PitayaClient;
import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.pitaya.spring.it.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every bad-input rule closes the offending connection, and only that one: a well-behaved client
 * connected beforehand keeps being served.
 */
@StandaloneGameServerTest
class BadInputTests extends ServerTestSupport {

    PitayaClient bystander;

    @BeforeEach
    void connectBystander() throws Exception {
        bystander = server.connect(Transport.TCP);
    }

    @AfterEach
    void bystanderIsStillServed() throws Exception {
        assertThat(await(bystander.request("echo.noArgs", new byte[0], String.class))).isEqualTo("no args");
    }

    @Test
    void unknownPacketTypeClosesTheConnection() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            raw.handshake().send(new byte[] {0x09, 0, 0, 0});
            assertThat(raw.closedByServerWithin(3000)).isTrue();
        }
    }

    @Test
    void dataBeforeHandshakeAckClosesTheConnection() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            raw.send(PacketType.HANDSHAKE, "{\"sys\":{},\"user\":{}}");
            assertThat(raw.readPacket().type()).isEqualTo(PacketType.HANDSHAKE);
            raw.send(PacketType.DATA, "\u0000\u0001\u0005a.b.c");
            assertThat(raw.closedByServerWithin(3000)).isTrue();
        }
    }

    @Test
    void dataBeforeHandshakeClosesTheConnection() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            raw.send(PacketType.DATA, "\u0000\u0001\u0005a.b.c");
            assertThat(raw.closedByServerWithin(3000)).isTrue();
        }
    }

    @Test
    void aHeaderAnnouncingMoreThanTheLimitClosesBeforeTheBodyArrives() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            int tooLong = 1024 * 1024 + 1;
            raw.handshake().send(new byte[] {0x04, (byte) (tooLong >>> 16), (byte) (tooLong >>> 8), (byte) tooLong});
            assertThat(raw.closedByServerWithin(3000)).as("closed with no body byte sent").isTrue();
        }
    }

    @Test
    void aMalformedMessageClosesTheConnection() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            // A Request whose varint id never ends.
            raw.handshake().send(Packet.encode(PacketType.DATA, new byte[] {0x00, (byte) 0x80, (byte) 0x80}));
            assertThat(raw.closedByServerWithin(3000)).isTrue();
        }
    }

    @Test
    void aClientSendingAPushClosesTheConnection() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            raw.handshake().send(Packet.encode(PacketType.DATA, new byte[] {0x06, 0x01, 0x61}));
            assertThat(raw.closedByServerWithin(3000)).isTrue();
        }
    }

    @Test
    void anUnknownRouteCodeClosesTheConnection() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            raw.handshake().send(Packet.encode(PacketType.DATA, new byte[] {0x01, 0x01, 0x7F, 0x7F}));
            assertThat(raw.closedByServerWithin(3000)).isTrue();
        }
    }

    @Test
    void invalidHandshakeJsonIsAnsweredWithCode400AndClosed() throws Exception {
        try (RawTcpClient raw = new RawTcpClient(server.tcpPort())) {
            raw.send(PacketType.HANDSHAKE, "{not json");
            Packet answer = raw.readPacket();
            assertThat(answer.type()).isEqualTo(PacketType.HANDSHAKE);
            assertThat(new HandshakeCodec().decodeResponse(answer.body()).code()).isEqualTo(400);
            assertThat(raw.closedByServerWithin(3000)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRefusingHandshakeValidatorAnswers400(Transport transport) {
        PitayaClient client = server.track(server.builder(transport).handshakeUser(Map.of("banned", true)).build());

        assertThatThrownBy(() -> client.connect().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PitayaException.class);
    }

    @Test
    void aWebSocketTextFrameClosesTheConnection() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.httpPort() + "/pitaya"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.countDown();
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.countDown();
                    }
                }).get(5, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(Packet.encode(PacketType.HANDSHAKE, "{}".getBytes())), true).get(5, TimeUnit.SECONDS);
        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);

        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aWebSocketUnknownPacketTypeClosesOnlyThatConnection() throws Exception {
        PitayaClient client = server.connect(Transport.WS);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        client.onClose(() -> closed.complete(null));

        client.sendRaw(new byte[] {0x0A, 0, 0, 0});

        await(closed);
    }
}
