package io.pitaya.bench;

import java.net.URI;
import java.time.Duration;

import io.netty.channel.EventLoopGroup;
import io.pitaya.client.PitayaClient;

/**
 * Where the clients connect: TCP {@code host:port}, or WebSocket {@code ws://host:port/path}.
 *
 * @param transport {@code tcp} or {@code ws}
 * @param host the server's host
 * @param port the TCP port, or the HTTP port for WebSocket
 * @param path the WebSocket path
 */
public record Target(String transport, String host, int port, String path) {

    /** Checks the transport name. */
    public Target {
        if (!transport.equals("tcp") && !transport.equals("ws")) {
            throw new IllegalArgumentException("--transport is tcp or ws, not " + transport);
        }
    }

    /**
     * Reads {@code --transport --host --port --path}.
     * @param args the options
     * @return the target
     */
    public static Target from(Args args) {
        return new Target(args.string("transport", "tcp"), args.string("host", "127.0.0.1"),
                args.integer("port", 3250), args.string("path", "/pitaya"));
    }

    /**
     * @param group the shared event loop group
     * @param requestTimeout the request (and handshake) timeout
     * @return a client builder for this target
     */
    public PitayaClient.Builder builder(EventLoopGroup group, Duration requestTimeout) {
        PitayaClient.Builder builder = PitayaClient.builder()
                .eventLoopGroup(group)
                .requestTimeout(requestTimeout)
                .connectTimeout(Duration.ofSeconds(20));
        return transport.equals("tcp")
                ? builder.tcp(host, port)
                : builder.websocket(URI.create("ws://" + host + ":" + port + path));
    }

    @Override
    public String toString() {
        return transport.equals("tcp") ? "tcp://" + host + ":" + port : "ws://" + host + ":" + port + path;
    }
}
