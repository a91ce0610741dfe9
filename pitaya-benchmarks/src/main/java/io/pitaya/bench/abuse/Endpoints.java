package io.pitaya.bench.abuse;

import java.util.Set;

import io.pitaya.bench.Target;

/**
 * The server under attack: its TCP acceptor and its WebSocket endpoint. Loopback only: the abuse tool
 * refuses to aim at anything else.
 *
 * @param host a loopback address or {@code localhost}
 * @param tcpPort the TCP acceptor's port
 * @param wsPort the HTTP port that serves the WebSocket
 * @param wsPath the WebSocket path
 */
record Endpoints(String host, int tcpPort, int wsPort, String wsPath) {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    /** Refuses any host but loopback. */
    Endpoints {
        if (!LOOPBACK.contains(host)) {
            throw new IllegalArgumentException("the abuse tool only targets 127.0.0.1 / localhost, not " + host);
        }
    }

    /**
     * @param webSocket WebSocket or TCP
     * @return the port of that transport
     */
    int port(boolean webSocket) {
        return webSocket ? wsPort : tcpPort;
    }

    /**
     * @param webSocket WebSocket or TCP
     * @return the same endpoint as a {@link Target} for pitaya clients
     */
    Target target(boolean webSocket) {
        return new Target(webSocket ? "ws" : "tcp", host, port(webSocket), wsPath);
    }

    @Override
    public String toString() {
        return "tcp://" + host + ":" + tcpPort + " and ws://" + host + ":" + wsPort + wsPath;
    }
}
