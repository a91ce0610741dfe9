package io.pitaya.spring.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.internal.acceptor.tcp.TcpAcceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.pitaya.spring.it.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS on both acceptors from one Spring Boot SSL bundle: the TCP acceptor through
 * {@code pitaya.acceptor.tcp.ssl-bundle}, WebSocket (wss) through the web server's {@code server.ssl.bundle},
 * or through {@code pitaya.acceptor.websocket.ssl-bundle} on pitaya's Netty WebSocket server.
 * The self-signed certificate is made with the JDK's keytool when the test starts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pitaya.server.type=game",
        "pitaya.acceptor.tcp.port=0",
        "pitaya.acceptor.tcp.ssl-bundle=pitaya",
        "server.ssl.bundle=pitaya"
})
class TlsTests {

    private static final String PASSWORD = "changeit";
    private static final Path KEYSTORE = createKeystore();

    @Autowired
    TcpAcceptor tcp;

    @LocalServerPort
    int httpsPort;

    PitayaClient client;

    @DynamicPropertySource
    static void sslBundle(DynamicPropertyRegistry registry) {
        registry.add("spring.ssl.bundle.jks.pitaya.keystore.location", () -> KEYSTORE.toUri().toString());
        registry.add("spring.ssl.bundle.jks.pitaya.keystore.password", () -> PASSWORD);
        registry.add("spring.ssl.bundle.jks.pitaya.keystore.type", () -> "PKCS12");
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void theJavaClientTalksToTheTcpAcceptorOverTls() throws Exception {
        client = PitayaClient.builder().tcp("127.0.0.1", tcp.port()).tls(trustingTestCertificate()).build();
        client.connect().get(10, TimeUnit.SECONDS);

        assertThat(await(client.request("echo.noArgs", new byte[0], String.class))).isEqualTo("no args");
    }

    @Test
    void theJavaClientTalksWebSocketOverWss() throws Exception {
        client = PitayaClient.builder().websocket(URI.create("wss://localhost:" + httpsPort + "/pitaya"))
                .tls(trustingTestCertificate()).build();
        client.connect().get(10, TimeUnit.SECONDS);

        assertThat(await(client.request("echo.noArgs", new byte[0], String.class))).isEqualTo("no args");
    }

    @Test
    void aPlaintextClientGetsNoHandshakeFromTheTlsPort() {
        client = PitayaClient.builder().tcp("127.0.0.1", tcp.port()).requestTimeout(Duration.ofSeconds(2)).build();

        assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class);
    }

    /** pitaya's Netty WebSocket server with its own bundle: pitaya.acceptor.websocket.ssl-bundle. */
    @org.junit.jupiter.api.Nested
    @org.springframework.test.context.TestPropertySource(properties = {
            "pitaya.acceptor.websocket.server=netty",
            "pitaya.acceptor.websocket.port=0",
            "pitaya.acceptor.websocket.ssl-bundle=pitaya"
    })
    class NettyWebSocket {

        @Autowired
        io.pitaya.spring.internal.acceptor.websocket.NettyWebSocketAcceptor acceptor;

        @Test
        void theJavaClientTalksWebSocketOverWssToTheNettyServer() throws Exception {
            client = PitayaClient.builder().websocket(URI.create("wss://localhost:" + acceptor.port() + "/pitaya"))
                    .tls(trustingTestCertificate()).build();
            client.connect().get(10, TimeUnit.SECONDS);

            assertThat(await(client.request("echo.noArgs", new byte[0], String.class))).isEqualTo("no args");
        }

        @Test
        void aPlaintextWebSocketClientIsNotUpgraded() {
            client = PitayaClient.builder().websocket(URI.create("ws://localhost:" + acceptor.port() + "/pitaya"))
                    .requestTimeout(Duration.ofSeconds(2)).build();

            assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class);
        }
    }

    private static SSLContext trustingTestCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(KEYSTORE)) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static Path createKeystore() {
        try {
            Path dir = Files.createTempDirectory("pitaya-tls");
            Path keystore = dir.resolve("server.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "pitaya", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            keystore.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return keystore;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot create the test keystore", e);
        }
    }
}
