package io.pitaya.spring.test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.internal.acceptor.netty.NettyAcceptor;
import io.pitaya.spring.internal.acceptor.tcp.TcpAcceptor;
import io.pitaya.spring.internal.acceptor.websocket.NettyWebSocketAcceptor;
import org.springframework.context.ApplicationContext;

/**
 * Opens clients to the server under test and closes them after the test: over TCP, over WebSocket (Spring's endpoint
 * or pitaya's Netty WebSocket acceptor, whichever the server runs), connected and handshaken, or as a builder for
 * other settings.
 */
public final class PitayaClients implements AutoCloseable {

    /** How long a connection and each request may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContext context;
    private final List<PitayaClient> opened = new CopyOnWriteArrayList<>();

    PitayaClients(ApplicationContext context) {
        this.context = context;
    }

    /**
     * Clients of a server started outside {@link PitayaTest} (a {@link PitayaTestCluster}'s frontend, an application
     * run by the test itself). Close them when done.
     * @param server the server's application context
     * @return clients of that server
     */
    public static PitayaClients of(ApplicationContext server) {
        return new PitayaClients(server);
    }

    /** @return a new client over TCP, connected and handshaken */
    public PitayaClient tcp() {
        return connect(tcpBuilder());
    }

    /** @return a new client over WebSocket, connected and handshaken */
    public PitayaClient webSocket() {
        return connect(webSocketBuilder());
    }

    /** @return a builder of a client to the TCP acceptor, to connect with other settings ({@link #connect}) */
    public PitayaClient.Builder tcpBuilder() {
        return PitayaClient.builder().tcp("127.0.0.1", tcpPort()).requestTimeout(TIMEOUT).connectTimeout(TIMEOUT);
    }

    /** @return the port of the server's TCP acceptor on loopback, for clients other than Java's (a Go or Node.js client) */
    public int tcpPort() {
        return context.getBeanProvider(TcpAcceptor.class).getIfAvailable(() -> {
            throw new IllegalStateException("the server under test has no TCP acceptor (pitaya.acceptor.tcp.enabled)");
        }).port();
    }

    /** @return a builder of a client to the WebSocket endpoint, to connect with other settings ({@link #connect}) */
    public PitayaClient.Builder webSocketBuilder() {
        return PitayaClient.builder().websocket(webSocketUri()).requestTimeout(TIMEOUT).connectTimeout(TIMEOUT);
    }

    /** @return the server's WebSocket endpoint on loopback, for clients other than Java's (a browser, a Node.js client) */
    public URI webSocketUri() {
        String path = context.getEnvironment().getProperty("pitaya.acceptor.websocket.path", "/pitaya");
        NettyAcceptor netty = context.getBeanProvider(NettyWebSocketAcceptor.class).getIfAvailable();
        String port = netty != null ? String.valueOf(netty.port()) : context.getEnvironment().getProperty("local.server.port");
        if (port == null) {
            throw new IllegalStateException("the server under test serves no WebSocket (a web server or pitaya.acceptor.websocket.server=netty)");
        }
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    /**
     * @param builder a client's settings
     * @return the client, connected and handshaken, closed after the test
     */
    public PitayaClient connect(PitayaClient.Builder builder) {
        PitayaClient client = builder.build();
        opened.add(client);
        try {
            client.connect().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not connect to the server under test: " + e, e);
        }
        return client;
    }

    /** Closes every client opened so far. */
    @Override
    public void close() {
        opened.forEach(PitayaClient::close);
        opened.clear();
    }
}
