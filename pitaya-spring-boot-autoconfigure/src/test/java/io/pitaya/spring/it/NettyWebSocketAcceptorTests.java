package io.pitaya.spring.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pitaya.client.PitayaClient;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.spring.internal.acceptor.websocket.NettyWebSocketAcceptor;
import io.pitaya.spring.internal.acceptor.websocket.PitayaWebSocketHandler;
import io.pitaya.spring.it.EchoComponent.Reply;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import static io.pitaya.spring.it.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * pitaya.acceptor.websocket.server=netty: WebSocket on pitaya's own Netty server, here in an application
 * without a web server. What reaches it before the upgrade and before the HandshakeAck is bounded.
 * (The behaviour tests of the other classes run over this acceptor too, as Transport.NETTY_WS.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "pitaya.server.type=game",
        "pitaya.acceptor.tcp.port=0",
        "pitaya.acceptor.websocket.server=netty",
        "pitaya.acceptor.websocket.port=0",
        "pitaya.handshake.timeout=3s",
        "pitaya.heartbeat.interval=1s"
})
class NettyWebSocketAcceptorTests extends ServerTestSupport {

    private int port() {
        return context.getBean(NettyWebSocketAcceptor.class).port();
    }

    private double refused(String reason) {
        return context.getBean(MeterRegistry.class).find("pitaya.acceptor.handshakes.refused").tag("reason", reason)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void whenTheServerIsNettyThenClientsPlayWithoutAWebServerOrSpringWebSocket() throws Exception {
        assertThat(context.getBeanProvider(PitayaWebSocketHandler.class).getIfAvailable()).isNull();
        PitayaClient client = server.connect(Transport.NETTY_WS);

        Reply reply = await(client.request("echo.echo", new EchoComponent.Message("hi", 7), Reply.class));

        assertThat(reply.text()).isEqualTo("hi");
        assertThat(reply.n()).isEqualTo(7);
    }

    @Test
    void upgradeRequestsOutsideTheRulesGetTheirStatusAndAreClosed() throws Exception {
        assertThat(upgrade("/other", "13", null)).isEqualTo(404);
        assertThat(upgrade("/pitaya", "8", null)).isEqualTo(426);
        assertThat(upgrade("/pitaya", "13", "http://evil.example")).isEqualTo(403);
        assertThat(plainGet("/pitaya")).isEqualTo(400);

        assertThat(upgrade("/pitaya", "13", "http://127.0.0.1:" + port())).as("same origin").isEqualTo(101);
        assertThat(upgrade("/pitaya", "13", null)).as("no Origin: not a browser page").isEqualTo(101);
        assertThat(upgrade("/pitaya?token=abc", "13", null)).as("a query string").isEqualTo(101);
    }

    @Test
    void aConnectionThatNeverAsksToUpgradeIsClosedAtTheHandshakeTimeout() throws Exception {
        double before = refused("timeout");
        try (Socket idle = new Socket()) {
            idle.connect(new InetSocketAddress("127.0.0.1", port()), 2000);
            assertThat(RawTcpClient.drainUntilClosed(idle, 1500)).as("still open within the 3 s timeout").isFalse();
            assertThat(RawTcpClient.drainUntilClosed(idle, 4000)).as("closed at the timeout").isTrue();
        }
        assertThat(refused("timeout") - before).isEqualTo(1);
    }

    @Test
    void aFrameAnnouncingMoreThanTheHandshakeLimitIsClosedOnItsHeaderBeforeItsPayload() throws Exception {
        double before = refused("too-large");
        for (int i = 0; i < 20; i++) {
            try (RawWebSocketClient attacker = new RawWebSocketClient(port(), "/pitaya", null, 0)) {
                // A binary frame of 1 MiB announced, its mask key, and not one byte of payload.
                attacker.sendRaw(new byte[] {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0x10, 0, 0, 1, 2, 3, 4});
                assertThat(attacker.closedByServerWithin(1500)).as("closed long before the 3 s handshake timeout").isTrue();
            }
        }
        // Counted as the connection closes: the socket may close a moment earlier.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2)).until(() -> refused("too-large") - before == 20);
    }

    @Test
    void afterTheHandshakeAckFramesCarryPacketsUpToThePacketLimit() throws Exception {
        PitayaClient client = server.connect(Transport.NETTY_WS);
        String text = "x".repeat(100_000); // far over the 4 KB handshake limit, under the 1 MB packet limit

        Reply reply = await(client.request("echo.echo", new EchoComponent.Message(text, 1), Reply.class));

        assertThat(reply.text()).hasSize(100_000);
    }

    @Test
    void framesSentBehindTheHandshakeAckInOneWriteReachTheNewLimit() throws Exception {
        try (RawWebSocketClient client = new RawWebSocketClient(port(), "/pitaya", null, 0)) {
            byte[] handshake = Packet.encode(PacketType.HANDSHAKE, "{\"sys\":{\"platform\":\"raw\"},\"user\":{}}".getBytes(StandardCharsets.UTF_8));
            byte[] ack = Packet.encode(PacketType.HANDSHAKE_ACK, new byte[0]);
            byte[] body = ("{\"text\":\"" + "y".repeat(20_000) + "\",\"n\":3}").getBytes(StandardCharsets.UTF_8);
            byte[] request = Packet.encode(PacketType.DATA, new MessageCodec().encode(Message.request(1, "echo.echo", body)));
            // All three in one write: the frame decoder holds the big frame's bytes when the HandshakeAck raises the limit.
            client.sendRaw(concat(RawWebSocketClient.frame(0x2, handshake), RawWebSocketClient.frame(0x2, ack),
                    RawWebSocketClient.frame(0x2, request)));

            assertThat(client.readPacket().type()).isEqualTo(PacketType.HANDSHAKE);
            Packet answer = client.readPacket();
            assertThat(answer.type()).isEqualTo(PacketType.DATA);
            Message response = new MessageCodec().decode(answer.body());
            assertThat(response.id()).isEqualTo(1L);
            assertThat(new String(response.data(), StandardCharsets.UTF_8)).contains("\"n\":3").contains("y".repeat(20_000));
        }
    }

    @Test
    void aTextFrameClosesTheConnection() throws Exception {
        try (RawWebSocketClient client = new RawWebSocketClient(port(), "/pitaya", null, 0)) {
            client.handshake();
            client.sendRaw(RawWebSocketClient.frame(0x1, "hello".getBytes(StandardCharsets.UTF_8)));
            assertThat(client.closedByServerWithin(2000)).isTrue();
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private int upgrade(String path, String version, String origin) throws IOException {
        byte[] nonce = new byte[16];
        return status("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: " + version + "\r\n"
                + (origin != null ? "Origin: " + origin + "\r\n" : "") + "\r\n", true);
    }

    private int plainGet(String path) throws IOException {
        return status("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\n\r\n", false);
    }

    /** Sends the request, reads the status line; a refusal must also close the connection. */
    private int status(String request, boolean upgrade) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 2000);
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.append((char) c);
            }
            int status = Integer.parseInt(line.toString().split(" ")[1]);
            if (status != 101) {
                assertThat(RawTcpClient.drainUntilClosed(socket, 2000)).as("closed after the refusal").isTrue();
            }
            return status;
        }
    }
}
