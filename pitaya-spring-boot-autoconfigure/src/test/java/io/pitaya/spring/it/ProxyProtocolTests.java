package io.pitaya.spring.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import io.pitaya.spring.internal.acceptor.websocket.NettyWebSocketAcceptor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Players behind a load balancer: the PROXY protocol (v1 and v2) on the TCP and Netty WebSocket acceptors, and
 * X-Forwarded-For through Spring Boot's forwarded-headers support on the Spring WebSocket acceptor. The session
 * (and so validators, rate limits and logs) sees the player's address, not the balancer's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pitaya.server.type=game",
        "pitaya.acceptor.tcp.port=0",
        "pitaya.acceptor.tcp.proxy-protocol=true",
        "server.forward-headers-strategy=native"
})
class ProxyProtocolTests extends ServerTestSupport {

    private static final byte[] V1 = "PROXY TCP4 203.0.113.7 10.0.0.1 51234 3250\r\n".getBytes(StandardCharsets.US_ASCII);

    private static String address(RawClient client) throws Exception {
        client.handshake();
        client.send(Message.request(1, "echo.address", new byte[0]));
        Packet answer = client.readPacket();
        assertThat(answer.type()).isEqualTo(PacketType.DATA);
        return new String(new MessageCodec().decode(answer.body()).data(), StandardCharsets.UTF_8);
    }

    @Test
    void aVersion1HeaderGivesTheSessionThePlayersAddress() throws Exception {
        try (RawTcpClient client = new RawTcpClient(server.tcpPort())) {
            client.send(V1);
            assertThat(address(client)).isEqualTo("\"/203.0.113.7:51234\"");
        }
    }

    @Test
    void aVersion2HeaderGivesTheSessionThePlayersAddress() throws Exception {
        ByteArrayOutputStream v2 = new ByteArrayOutputStream();
        v2.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        v2.write(0x21); // version 2, PROXY
        v2.write(0x11); // TCP over IPv4
        v2.writeBytes(new byte[] {0, 12, (byte) 198, 51, 100, 23, 10, 0, 0, 1, (byte) 0xC8, 0x14, 0x0C, (byte) 0xB2}); // port 51220 -> 3250
        try (RawTcpClient client = new RawTcpClient(server.tcpPort())) {
            client.send(v2.toByteArray());
            assertThat(address(client)).isEqualTo("\"/198.51.100.23:51220\"");
        }
    }

    @Test
    void aConnectionWithoutTheHeaderIsClosed() throws Exception {
        try (RawTcpClient client = new RawTcpClient(server.tcpPort())) {
            client.send(PacketType.HANDSHAKE, "{\"sys\":{\"platform\":\"raw\"},\"user\":{}}");
            assertThat(client.closedByServerWithin(3000)).as("a client cannot name its own address").isTrue();
        }
    }

    @Test
    void behindAnHttpProxyTheSpringWebSocketSessionSeesTheForwardedAddress() throws Exception {
        try (RawWebSocketClient client = new RawWebSocketClient(server.httpPort(), "/pitaya", null, 0, new byte[0],
                "X-Forwarded-For: 198.51.100.9\r\n")) {
            assertThat(client.status()).isEqualTo(101);
            assertThat(address(client)).contains("198.51.100.9");
        }
    }

    /** The Netty WebSocket acceptor behind a PROXY protocol balancer. */
    @org.junit.jupiter.api.Nested
    @org.springframework.test.context.TestPropertySource(properties = {
            "pitaya.acceptor.websocket.server=netty",
            "pitaya.acceptor.websocket.port=0",
            "pitaya.acceptor.websocket.proxy-protocol=true"
    })
    class NettyWebSocket extends ServerTestSupport {

        @Test
        void theHeaderBeforeTheUpgradeGivesTheSessionThePlayersAddress() throws Exception {
            try (RawWebSocketClient client = new RawWebSocketClient(context.getBean(NettyWebSocketAcceptor.class).port(), "/pitaya",
                    null, 0, V1, "")) {
                assertThat(client.status()).isEqualTo(101);
                assertThat(address(client)).isEqualTo("\"/203.0.113.7:51234\"");
            }
        }
    }
}
