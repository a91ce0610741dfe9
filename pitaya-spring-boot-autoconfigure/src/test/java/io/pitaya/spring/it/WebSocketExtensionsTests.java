package io.pitaya.spring.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** permessage-deflate, which browsers offer in every handshake: refused unless configured. */
class WebSocketExtensionsTests {

    /** What a browser sends: Chromium's extension offer. */
    static List<String> upgradeAsABrowser(int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            String request = "GET /pitaya HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            List<String> lines = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                lines.add(line);
            }
            return lines;
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "pitaya.server.type=game", "pitaya.acceptor.tcp.port=0"})
    class ByDefault extends ServerTestSupport {

        @Test
        void aClientThatOffersItTalksUncompressed() throws Exception {
            io.pitaya.client.PitayaClient client = server.connect(server.builder(Transport.WS).webSocketCompression(true));

            EchoComponent.Reply reply = Futures.await(client.request("echo.echo", new EchoComponent.Message("plain", 4),
                    EchoComponent.Reply.class));

            assertThat(reply.text()).isEqualTo("plain");
        }

        @Test
        void theUpgradeSucceedsWithoutTheExtension() throws Exception {
            List<String> response = upgradeAsABrowser(server.httpPort());

            assertThat(response.get(0)).contains("101");
            assertThat(response).noneMatch(header -> header.toLowerCase().startsWith("sec-websocket-extensions"));
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "pitaya.server.type=game", "pitaya.acceptor.tcp.port=0", "pitaya.acceptor.websocket.compression=true"})
    class WhenEnabled extends ServerTestSupport {

        @Test
        void theContainerNegotiatesIt() throws Exception {
            List<String> response = upgradeAsABrowser(server.httpPort());

            assertThat(response.get(0)).contains("101");
            assertThat(response).anyMatch(header -> header.toLowerCase().startsWith("sec-websocket-extensions: permessage-deflate"));
        }

        @Test
        void aClientThatOffersItTalksCompressed() throws Exception {
            io.pitaya.client.PitayaClient client = server.connect(server.builder(Transport.WS).webSocketCompression(true));

            EchoComponent.Reply reply = Futures.await(client.request("echo.echo", new EchoComponent.Message("deflated", 3),
                    EchoComponent.Reply.class));

            assertThat(reply.text()).isEqualTo("deflated");
        }
    }
}
