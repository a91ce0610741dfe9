package io.pitaya.spring.it;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.internal.acceptor.tcp.TcpAcceptor;
import io.pitaya.spring.internal.acceptor.websocket.NettyWebSocketAcceptor;
import org.springframework.context.ApplicationContext;

/** Connects Java clients to the server of a test context, and closes them after the test. */
public final class ServerUnderTest implements AutoCloseable {

    private final int tcpPort;
    private final int httpPort;
    private final int nettyWebSocketPort;
    private final String wsPath;
    private final List<PitayaClient> clients = new ArrayList<>();

    public ServerUnderTest(ApplicationContext context) {
        this.tcpPort = context.getBean(TcpAcceptor.class).port();
        this.httpPort = Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1"));
        NettyWebSocketAcceptor netty = context.getBeanProvider(NettyWebSocketAcceptor.class).getIfAvailable();
        this.nettyWebSocketPort = netty != null ? netty.port() : -1;
        this.wsPath = context.getEnvironment().getProperty("pitaya.acceptor.websocket.path", "/pitaya");
    }

    public int tcpPort() {
        return tcpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** @return the port of the WebSocket acceptor of this transport (HTTP port or the Netty WebSocket port) */
    public int webSocketPort(Transport transport) {
        int port = transport == Transport.NETTY_WS ? nettyWebSocketPort : httpPort;
        if (port < 0) {
            throw new IllegalStateException("the test context has no " + transport + " acceptor");
        }
        return port;
    }

    public String webSocketPath() {
        return wsPath;
    }

    public PitayaClient.Builder builder(Transport transport) {
        PitayaClient.Builder builder = PitayaClient.builder().requestTimeout(Duration.ofSeconds(5));
        return transport == Transport.TCP
                ? builder.tcp("127.0.0.1", tcpPort)
                : builder.websocket(URI.create("ws://127.0.0.1:" + webSocketPort(transport) + wsPath));
    }

    public PitayaClient track(PitayaClient client) {
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    /** @return a client that finished its handshake */
    public PitayaClient connect(Transport transport) throws Exception {
        return connect(builder(transport));
    }

    public PitayaClient connect(PitayaClient.Builder builder) throws Exception {
        PitayaClient client = track(builder.build());
        client.connect().get(5, TimeUnit.SECONDS);
        return client;
    }

    public PitayaClient connect(Transport transport, Map<String, Object> user) throws Exception {
        return connect(builder(transport).handshakeUser(user));
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(PitayaClient::close);
            clients.clear();
        }
    }
}
