package io.pitaya.bench;

import java.net.URI;
import java.time.Duration;

import io.netty.channel.EventLoopGroup;
import io.pitaya.client.PitayaClient;

/**
 * Where the clients connect: TCP {@code host:port}, or WebSocket {@code ws://host:port/path}, either as our
 * client does ({@code ws}) or as a browser does ({@code browser}: the handshake offers permessage-deflate, as
 * Chromium's and Node's ws do, and it is used if the server accepts it).
 *
 * @param transport {@code tcp}, {@code ws} or {@code browser}
 * @param host the server's host
 * @param port the TCP port, or the HTTP port for WebSocket
 * @param path the WebSocket path
 */
public record Target(String transport, String host, int port, String path) {

    /** Checks the transport name. */
    public Target {
        if (!transport.equals("tcp") && !transport.equals("ws") && !transport.equals("browser")) {
            throw new IllegalArgumentException("--transport is tcp, ws or browser, not " + transport);
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
                : builder.websocket(URI.create("ws://" + host + ":" + port + path)).webSocketCompression(transport.equals("browser"));
    }

    @Override
    public String toString() {
        return transport.equals("tcp") ? "tcp://" + host + ":" + port
                : (transport.equals("browser") ? "browser-like " : "") + "ws://" + host + ":" + port + path;
    }
}
