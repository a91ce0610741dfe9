package io.pitaya.spring.autoconfigure;

import java.time.Duration;

import io.pitaya.protocol.Packet;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

/**
 * Client connections, under {@code pitaya.acceptor.*}: limits shared by all acceptors, and each acceptor's own
 * settings (TCP, WebSocket).
 */
public class AcceptorProperties {

    /**
     * Largest packet body accepted from a client after its handshake (at most 16 MiB - 1, the wire
     * format's); a header announcing more closes the connection.
     */
    private DataSize maxPacketSize = DataSize.ofMegabytes(1);

    /**
     * Largest size a zlib-compressed message body from a client may inflate to; a larger one closes the
     * connection. Keeps a small compressed message from becoming a large one (a zip bomb).
     */
    private DataSize maxInflatedSize = DataSize.ofKilobytes(64);

    /**
     * Messages of one session waiting for their handler. When the queue is full the server stops
     * reading that connection until it drains.
     */
    private int inboundQueueSize = 128;

    /** Bytes of messages of one session waiting for their handler before the server stops reading it. */
    private DataSize inboundQueueBytes = DataSize.ofMegabytes(1);

    /** Bytes waiting to be written to one client; a client past it is closed at once as a slow reader. */
    private DataSize outboundBufferLimit = DataSize.ofMegabytes(4);

    /**
     * Longest time a client may leave bytes unread (no write progress) before it is closed as a slow
     * reader, on both transports.
     */
    private Duration sendTimeLimit = Duration.ofSeconds(10);

    /** Per-connection message rate limit (pitaya's, off by default). */
    private final RateLimit rateLimit = new RateLimit();

    /** TCP acceptor (Netty). */
    private final Tcp tcp = new Tcp();

    /** WebSocket acceptor (Spring WebSocket on the HTTP port, or pitaya's Netty server). */
    private final WebSocket websocket = new WebSocket();

    public DataSize getMaxPacketSize() {
        return maxPacketSize;
    }

    public void setMaxPacketSize(DataSize maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    public DataSize getMaxInflatedSize() {
        return maxInflatedSize;
    }

    public void setMaxInflatedSize(DataSize maxInflatedSize) {
        this.maxInflatedSize = maxInflatedSize;
    }

    public DataSize getInboundQueueBytes() {
        return inboundQueueBytes;
    }

    public void setInboundQueueBytes(DataSize inboundQueueBytes) {
        this.inboundQueueBytes = inboundQueueBytes;
    }

    public int getInboundQueueSize() {
        return inboundQueueSize;
    }

    public void setInboundQueueSize(int inboundQueueSize) {
        this.inboundQueueSize = inboundQueueSize;
    }

    public DataSize getOutboundBufferLimit() {
        return outboundBufferLimit;
    }

    public void setOutboundBufferLimit(DataSize outboundBufferLimit) {
        this.outboundBufferLimit = outboundBufferLimit;
    }

    public Duration getSendTimeLimit() {
        return sendTimeLimit;
    }

    public void setSendTimeLimit(Duration sendTimeLimit) {
        this.sendTimeLimit = sendTimeLimit;
    }

    public RateLimit getRateLimit() {
        return rateLimit;
    }

    public Tcp getTcp() {
        return tcp;
    }

    public WebSocket getWebsocket() {
        return websocket;
    }

    /** Checks the values that cannot work; reports them under their {@code pitaya.acceptor.*} names. */
    void validate(Errors errors) {
        long maxPacket = maxPacketSize.toBytes();
        if (maxPacket < 1 || maxPacket > Packet.MAX_BODY_LENGTH) {
            errors.rejectValue("acceptor.maxPacketSize", "range", "must be between 1B and " + Packet.MAX_BODY_LENGTH
                    + "B (the wire format's 3-byte length); got " + maxPacket + "B");
        }
        long inflated = maxInflatedSize.toBytes();
        if (inflated < 1 || inflated > Integer.MAX_VALUE - 8) {
            errors.rejectValue("acceptor.maxInflatedSize", "range", "must be between 1B and 2GB; got " + inflated + "B");
        }
        PitayaProperties.atLeast(errors, "acceptor.inboundQueueSize", inboundQueueSize, 1);
        if (inboundQueueBytes.toBytes() < 1) {
            errors.rejectValue("acceptor.inboundQueueBytes", "range", "must be positive");
        }
        if (outboundBufferLimit.toBytes() < 1024 || outboundBufferLimit.toBytes() > Integer.MAX_VALUE) {
            errors.rejectValue("acceptor.outboundBufferLimit", "range", "must be between 1KB and 2GB; got "
                    + outboundBufferLimit.toBytes() + "B");
        }
        PitayaProperties.positive(errors, "acceptor.sendTimeLimit", sendTimeLimit);
        PitayaProperties.atLeast(errors, "acceptor.tcp.maxConnections", tcp.maxConnections, 0);
        PitayaProperties.atLeast(errors, "acceptor.websocket.maxConnections", websocket.maxConnections, 0);
        if (tcp.port < 0 || tcp.port > 65535) {
            errors.rejectValue("acceptor.tcp.port", "range", "must be between 0 and 65535");
        }
        if (websocket.port < 0 || websocket.port > 65535) {
            errors.rejectValue("acceptor.websocket.port", "range", "must be between 0 and 65535");
        }
        if (websocket.path == null || !websocket.path.startsWith("/")) {
            errors.rejectValue("acceptor.websocket.path", "invalid", "must start with /; got " + websocket.path);
        }
        if (rateLimit.enabled) {
            PitayaProperties.atLeast(errors, "acceptor.rateLimit.limit", rateLimit.limit, 1);
            PitayaProperties.positive(errors, "acceptor.rateLimit.interval", rateLimit.interval);
        }
    }

    /** Per-connection message rate limit. */
    public static class RateLimit {

        /** Whether to limit the messages each connection may send. */
        private boolean enabled = false;

        /** Messages allowed per interval and connection. */
        private int limit = 20;

        /** The interval of the limit. */
        private Duration interval = Duration.ofSeconds(1);

        /** What happens to a message over the limit: drop it (the connection stays) or close the connection. */
        private Exceeded onExceeded = Exceeded.DROP;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getLimit() {
            return limit;
        }

        public void setLimit(int limit) {
            this.limit = limit;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Exceeded getOnExceeded() {
            return onExceeded;
        }

        public void setOnExceeded(Exceeded onExceeded) {
            this.onExceeded = onExceeded;
        }

        /** What happens to a message over the rate limit. */
        public enum Exceeded {
            /** Drop the message; the connection stays. */
            DROP,
            /** Close the connection. */
            CLOSE
        }
    }

    /** TCP acceptor (Netty). */
    public static class Tcp {

        /** Whether to accept clients over TCP. */
        private boolean enabled = true;

        /** Address to bind to; all interfaces when empty. */
        private String host = "";

        /** Port to listen on; 0 picks a free port (see {@code TcpAcceptor#port()}). */
        private int port = 3250;

        /** Most TCP connections held at once; further ones are closed as they arrive. 0 for no cap. */
        private int maxConnections = 0;

        /** Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) for TLS on this acceptor; plain TCP when empty. */
        private String sslBundle = "";

        /**
         * Whether every connection starts with a PROXY protocol header (v1 or v2; HAProxy, AWS NLB) carrying the
         * player's address, which sessions, validators and logs then see. Connections without one are closed.
         */
        private boolean proxyProtocol = false;

        public boolean isProxyProtocol() {
            return proxyProtocol;
        }

        public void setProxyProtocol(boolean proxyProtocol) {
            this.proxyProtocol = proxyProtocol;
        }

        public int getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        public String getSslBundle() {
            return sslBundle;
        }

        public void setSslBundle(String sslBundle) {
            this.sslBundle = sslBundle;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }
    }

    /** WebSocket acceptor: Spring WebSocket on the HTTP port, or pitaya's own Netty server on a port of its own. */
    public static class WebSocket {

        /** Which server accepts WebSocket clients. */
        public enum WebSocketServer {
            /** Spring WebSocket on the application's web server (server.port), beside its HTTP endpoints. */
            SERVLET,
            /**
             * pitaya's own Netty server on pitaya.acceptor.websocket.port: faster (no servlet container thread
             * hand-offs, see BENCHMARKS.md) and needs no web server; HTTP endpoints (Actuator) stay on server.port.
             */
            NETTY
        }

        /** Whether to accept clients over WebSocket. */
        private boolean enabled = true;

        /** Which server accepts WebSocket clients: servlet (on server.port) or netty (on pitaya.acceptor.websocket.port). */
        private WebSocketServer server = WebSocketServer.SERVLET;

        /** Path of the WebSocket endpoint. */
        private String path = "/pitaya";

        /** Address the netty server binds to; all interfaces when empty. Not used by the servlet server. */
        private String host = "";

        /** Port of the netty server; 0 picks a free port. Not used by the servlet server (server.port). */
        private int port = 3252;

        /**
         * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) for TLS (wss) on the netty server; plain ws when
         * empty. (The servlet server's TLS is the web server's: server.ssl.bundle.)
         */
        private String sslBundle = "";

        /**
         * With server=netty: whether every connection starts with a PROXY protocol header (v1 or v2) carrying the
         * player's address; connections without one are closed. (Behind an HTTP reverse proxy on the servlet server,
         * use Spring Boot's server.forward-headers-strategy instead.)
         */
        private boolean proxyProtocol = false;

        public boolean isProxyProtocol() {
            return proxyProtocol;
        }

        public void setProxyProtocol(boolean proxyProtocol) {
            this.proxyProtocol = proxyProtocol;
        }

        public WebSocketServer getServer() {
            return server;
        }

        public void setServer(WebSocketServer server) {
            this.server = server;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getSslBundle() {
            return sslBundle;
        }

        public void setSslBundle(String sslBundle) {
            this.sslBundle = sslBundle;
        }

        /**
         * Origins (scheme://host:port) whose pages may open the WebSocket from a browser, "*" for any. Empty (the
         * default): pages of the same origin only. Clients that send no Origin header (libpitaya, Go, native
         * apps) are not affected.
         */
        private String[] allowedOrigins = {};

        /** Most WebSocket connections held at once; further ones are closed as they arrive. 0 for no cap. */
        private int maxConnections = 0;

        /**
         * Whether the permessage-deflate extension may be negotiated with clients that offer it (browsers and
         * Node's ws do). Off as in pitaya's Go server: every push would be deflated by the server and inflated by
         * the client, which costs far more than it saves on pitaya's small bodies (pitaya's own zlib flag,
         * pitaya.message.compression, compresses large ones).
         */
        private boolean compression = false;

        public boolean isCompression() {
            return compression;
        }

        public void setCompression(boolean compression) {
            this.compression = compression;
        }

        public int getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public String[] getAllowedOrigins() {
            return allowedOrigins;
        }

        public void setAllowedOrigins(String[] allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }
    }
}
