package io.pitaya.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.spring.component.NamingStrategy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of a pitaya server, under {@code pitaya.*}. Defaults mirror pitaya's where pitaya has one.
 * Validated when bound: a value that cannot work (a packet limit past the wire format's 16 MiB, a zero
 * timeout) fails start-up with the property's name, instead of failing every connection at run time.
 */
@ConfigurationProperties("pitaya")
@Validated
public class PitayaProperties implements Validator {

    /**
     * Standalone: one server, no infrastructure. Cluster: servers find each other through discovery
     * (Consul by default) and call each other over Kafka.
     */
    private Mode mode = Mode.STANDALONE;

    /** This server's identity. */
    private final Server server = new Server();

    /** Name of the serializer for message bodies, announced to clients in the handshake: json or protobuf. */
    private String serializer = "json";

    /**
     * How Java method names become route method names: as-written keeps "getSessionData", lowercase gives
     * "getsessiondata" as Go pitaya clients call it.
     */
    private NamingStrategy naming = NamingStrategy.AS_WRITTEN;

    /**
     * Whether only methods annotated with @PitayaMethod are routes. Off: pitaya's rule, every public method of a
     * component's own class whose signature fits is one (inherited methods only when annotated).
     */
    private boolean strictRoutes;

    /**
     * Routes sent as 2-byte codes instead of text, route to code (1..65535). Sent to clients in the handshake.
     */
    private Map<String, Integer> routeDictionary = new LinkedHashMap<>();

    /** Heartbeats between server and client. */
    private final Heartbeat heartbeat = new Heartbeat();

    /** The handshake that opens every connection. */
    private final Handshake handshake = new Handshake();

    /** Message bodies. */
    private final MessageSettings message = new MessageSettings();

    /** Client connections: limits shared by all acceptors, and each acceptor's own settings. */
    private final Acceptor acceptor = new Acceptor();

    /** Sessions. */
    private final SessionSettings session = new SessionSettings();

    /** How handlers run. */
    private final Dispatch dispatch = new Dispatch();

    /** Cluster mode: discovery and RPC between servers. */
    private final Cluster cluster = new Cluster();

    /** What a stopping server does with its sessions. */
    private final Shutdown shutdown = new Shutdown();

    /** Auto documentation for pitaya-cli and pitaya's ProtoClient. */
    private final Docs docs = new Docs();

    /** Metrics (with Micrometer on the class path). */
    private final Metrics metrics = new Metrics();

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public Server getServer() {
        return server;
    }

    public String getSerializer() {
        return serializer;
    }

    public void setSerializer(String serializer) {
        this.serializer = serializer;
    }

    public boolean isStrictRoutes() {
        return strictRoutes;
    }

    public void setStrictRoutes(boolean strictRoutes) {
        this.strictRoutes = strictRoutes;
    }

    public NamingStrategy getNaming() {
        return naming;
    }

    public void setNaming(NamingStrategy naming) {
        this.naming = naming;
    }

    public Map<String, Integer> getRouteDictionary() {
        return routeDictionary;
    }

    public void setRouteDictionary(Map<String, Integer> routeDictionary) {
        this.routeDictionary = routeDictionary;
    }

    public Heartbeat getHeartbeat() {
        return heartbeat;
    }

    public Handshake getHandshake() {
        return handshake;
    }

    public MessageSettings getMessage() {
        return message;
    }

    public Acceptor getAcceptor() {
        return acceptor;
    }

    public SessionSettings getSession() {
        return session;
    }

    public Dispatch getDispatch() {
        return dispatch;
    }

    public Cluster getCluster() {
        return cluster;
    }

    public Docs getDocs() {
        return docs;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    @Override
    public boolean supports(Class<?> type) {
        return PitayaProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        PitayaProperties p = (PitayaProperties) target;
        positive(errors, "heartbeat.interval", p.heartbeat.interval);
        positive(errors, "handshake.timeout", p.handshake.timeout);
        long maxPacket = p.acceptor.maxPacketSize.toBytes();
        if (maxPacket < 1 || maxPacket > Packet.MAX_BODY_LENGTH) {
            errors.rejectValue("acceptor.maxPacketSize", "range", "must be between 1B and " + Packet.MAX_BODY_LENGTH
                    + "B (the wire format's 3-byte length); got " + maxPacket + "B");
        }
        long handshakeMax = p.handshake.maxSize.toBytes();
        if (handshakeMax < 64 || handshakeMax > Math.max(64, maxPacket)) {
            errors.rejectValue("handshake.maxSize", "range", "must be between 64B and pitaya.acceptor.max-packet-size ("
                    + maxPacket + "B); got " + handshakeMax + "B");
        }
        atLeast(errors, "handshake.maxDepth", p.handshake.maxDepth, 2);
        atLeast(errors, "handshake.maxEntries", p.handshake.maxEntries, 1);
        long inflated = p.acceptor.maxInflatedSize.toBytes();
        if (inflated < 1 || inflated > Integer.MAX_VALUE - 8) {
            errors.rejectValue("acceptor.maxInflatedSize", "range", "must be between 1B and 2GB; got " + inflated + "B");
        }
        atLeast(errors, "acceptor.inboundQueueSize", p.acceptor.inboundQueueSize, 1);
        if (p.acceptor.inboundQueueBytes.toBytes() < 1) {
            errors.rejectValue("acceptor.inboundQueueBytes", "range", "must be positive");
        }
        if (p.acceptor.outboundBufferLimit.toBytes() < 1024 || p.acceptor.outboundBufferLimit.toBytes() > Integer.MAX_VALUE) {
            errors.rejectValue("acceptor.outboundBufferLimit", "range", "must be between 1KB and 2GB; got "
                    + p.acceptor.outboundBufferLimit.toBytes() + "B");
        }
        positive(errors, "acceptor.sendTimeLimit", p.acceptor.sendTimeLimit);
        atLeast(errors, "acceptor.tcp.maxConnections", p.acceptor.tcp.maxConnections, 0);
        atLeast(errors, "acceptor.websocket.maxConnections", p.acceptor.websocket.maxConnections, 0);
        if (p.acceptor.tcp.port < 0 || p.acceptor.tcp.port > 65535) {
            errors.rejectValue("acceptor.tcp.port", "range", "must be between 0 and 65535");
        }
        if (p.acceptor.websocket.port < 0 || p.acceptor.websocket.port > 65535) {
            errors.rejectValue("acceptor.websocket.port", "range", "must be between 0 and 65535");
        }
        if (p.acceptor.websocket.path == null || !p.acceptor.websocket.path.startsWith("/")) {
            errors.rejectValue("acceptor.websocket.path", "invalid", "must start with /; got " + p.acceptor.websocket.path);
        }
        if (p.acceptor.rateLimit.enabled) {
            atLeast(errors, "acceptor.rateLimit.limit", p.acceptor.rateLimit.limit, 1);
            positive(errors, "acceptor.rateLimit.interval", p.acceptor.rateLimit.interval);
        }
        atLeast(errors, "dispatch.threads", p.dispatch.threads, 1);
        positive(errors, "dispatch.handlerTimeout", p.dispatch.handlerTimeout);
        positive(errors, "cluster.rpc.timeout", p.cluster.rpc.timeout);
        atLeast(errors, "cluster.rpc.maxPending", p.cluster.rpc.maxPending, 1);
        atLeast(errors, "cluster.outlier.consecutiveTimeouts", p.cluster.outlier.consecutiveTimeouts, 1);
        positive(errors, "cluster.outlier.ejectionTime", p.cluster.outlier.ejectionTime);
        if (p.shutdown.kickSessions) {
            atLeast(errors, "shutdown.kickRate", p.shutdown.kickRate, 1);
        }
        p.routeDictionary.forEach((route, code) -> {
            if (code == null || code < 1 || code > 65535) {
                errors.rejectValue("routeDictionary", "range", "code of route " + route + " must be between 1 and 65535; got " + code);
            }
        });
        if (p.server.type == null || p.server.type.isBlank() || p.server.type.contains(".")) {
            errors.rejectValue("server.type", "invalid", "must be a non-empty name without dots");
        }
    }

    private static void positive(Errors errors, String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            errors.rejectValue(field, "positive", "must be a positive duration; got " + value);
        }
    }

    private static void atLeast(Errors errors, String field, int value, int min) {
        if (value < min) {
            errors.rejectValue(field, "range", "must be at least " + min + "; got " + value);
        }
    }

    /** Metrics (with Micrometer on the class path). */
    public static class Metrics {

        /**
         * Tags added to every pitaya meter, e.g. game: mygame (pitaya's constant labels); serverType is
         * always added.
         */
        private Map<String, String> tags = new LinkedHashMap<>();

        public Map<String, String> getTags() {
            return tags;
        }

        public void setTags(Map<String, String> tags) {
            this.tags = tags;
        }
    }

    /** Auto documentation: pitaya's docs handler, as pitaya-cli and pitaya's ProtoClient use it. */
    public static class Docs {

        /**
         * Whether every server serves its routes' documentation and protobuf descriptors at
         * <type>.docsHandler.docs and <type>.docsHandler.descriptors (a frontend's covers the whole cluster), and
         * at /actuator/pitayadocs when exposed.
         */
        private boolean enabled = false;

        /** Component name of the docs handler; empty for docsHandler after the naming strategy (docshandler under lowercase). */
        private String component = "";

        /** Remote name through which servers document themselves to each other; empty for docsRemote after the naming strategy. */
        private String remote = "";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getComponent() {
            return component;
        }

        public void setComponent(String component) {
            this.component = component;
        }

        public String getRemote() {
            return remote;
        }

        public void setRemote(String remote) {
            this.remote = remote;
        }
    }

    /** What a stopping server does with its sessions. */
    public static class Shutdown {

        /**
         * Kick sessions gradually before closing the rest, so that players reconnect to other servers
         * in a trickle rather than all at once.
         */
        private boolean kickSessions = false;

        /** Sessions kicked per second while draining. */
        private int kickRate = 500;

        public boolean isKickSessions() {
            return kickSessions;
        }

        public void setKickSessions(boolean kickSessions) {
            this.kickSessions = kickSessions;
        }

        public int getKickRate() {
            return kickRate;
        }

        public void setKickRate(int kickRate) {
            this.kickRate = kickRate;
        }
    }

    /** How this server runs. */
    public enum Mode {
        /** One server, no infrastructure. */
        STANDALONE,
        /** Several servers, discovery and Kafka RPC. */
        CLUSTER
    }

    /** This server's identity. */
    public static class Server {

        /** Server type: the first part of three-part routes, and what two-part routes mean. */
        private String type = "game";

        /** Unique id of this server; a random UUID unless set. */
        private String id = UUID.randomUUID().toString();

        /** Whether this server accepts client connections. */
        private boolean frontend = true;

        /** Hostname published to the other servers; the local host name unless set. */
        private String hostname = localHostname();

        /** Free-form metadata published with this server. */
        private Map<String, String> metadata = new LinkedHashMap<>();

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        public boolean isFrontend() {
            return frontend;
        }

        public void setFrontend(boolean frontend) {
            this.frontend = frontend;
        }

        public Map<String, String> getMetadata() {
            return metadata;
        }

        public void setMetadata(Map<String, String> metadata) {
            this.metadata = metadata;
        }

        public String getHostname() {
            return hostname;
        }

        public void setHostname(String hostname) {
            this.hostname = hostname;
        }

        private static String localHostname() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "localhost";
            }
        }
    }

    /** Heartbeats between server and client. */
    public static class Heartbeat {

        /**
         * Interval at which the server sends a Heartbeat; announced to the client in the handshake. A
         * connection that sends nothing for twice this long is closed.
         */
        private Duration interval = Duration.ofSeconds(30);

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }

    /** The handshake that opens every connection. */
    public static class Handshake {

        /** A connection that has not sent both Handshake and HandshakeAck within this time is closed. */
        private Duration timeout = Duration.ofSeconds(10);

        /**
         * Deflate the handshake answer with zlib when that makes it smaller (worth it for large route
         * dictionaries). Off by default: the JavaScript (starx) client reads the answer as plain JSON.
         */
        private boolean compression = false;

        /**
         * Largest packet a client may send until its HandshakeAck (real clients send ~150 B of handshake).
         * A header announcing more closes the connection before any body byte is buffered.
         */
        private DataSize maxSize = DataSize.ofKilobytes(4);

        /** Deepest nesting accepted in a client's handshake JSON. */
        private int maxDepth = HandshakeCodec.DEFAULT_MAX_DEPTH;

        /** Most entries (object members plus array elements, over the whole document) in a client's handshake JSON. */
        private int maxEntries = HandshakeCodec.DEFAULT_MAX_ENTRIES;

        public DataSize getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(DataSize maxSize) {
            this.maxSize = maxSize;
        }

        public int getMaxDepth() {
            return maxDepth;
        }

        public void setMaxDepth(int maxDepth) {
            this.maxDepth = maxDepth;
        }

        public int getMaxEntries() {
            return maxEntries;
        }

        public void setMaxEntries(int maxEntries) {
            this.maxEntries = maxEntries;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public boolean isCompression() {
            return compression;
        }

        public void setCompression(boolean compression) {
            this.compression = compression;
        }
    }

    /** Message bodies. */
    public static class MessageSettings {

        /**
         * Deflate bodies of responses and pushes with zlib (flag 0x10) when that makes them smaller. Off by
         * default: browser JavaScript clients have no zlib; libpitaya and this project's Java client inflate.
         * Compressed bodies from clients are always accepted, up to acceptor.max-inflated-size once inflated.
         */
        private boolean compression = false;

        public boolean isCompression() {
            return compression;
        }

        public void setCompression(boolean compression) {
            this.compression = compression;
        }
    }

    /** Client connections. */
    public static class Acceptor {

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

    /** Sessions. */
    public static class SessionSettings {

        /** Binding a uid that another session on this server already has kicks the older session. */
        private boolean unique = true;

        /**
         * Route on which a kicked client is pushed {code, reason} right before pitaya's Kick packet (whose body is
         * empty, for every client); empty for no push. E.g. onKick.
         */
        private String kickRoute = "";

        public String getKickRoute() {
            return kickRoute;
        }

        public void setKickRoute(String kickRoute) {
            this.kickRoute = kickRoute;
        }

        public boolean isUnique() {
            return unique;
        }

        public void setUnique(boolean unique) {
            this.unique = unique;
        }
    }

    /** How handlers run. */
    public static class Dispatch {

        /**
         * Threads that run handlers when virtual threads are off (spring.threads.virtual.enabled=false or
         * Java 17). With virtual threads on, every session's messages run on virtual threads instead.
         */
        private int threads = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());

        /**
         * Longest time an asynchronous handler (one that returns a CompletableFuture) may take; the client
         * then gets PIT-408 and the session's next message runs.
         */
        private Duration handlerTimeout = Duration.ofSeconds(30);

        public Duration getHandlerTimeout() {
            return handlerTimeout;
        }

        public void setHandlerTimeout(Duration handlerTimeout) {
            this.handlerTimeout = handlerTimeout;
        }

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }
    }

    /** Cluster mode: discovery and RPC between servers. */
    public static class Cluster {

        /** Server-to-server calls. */
        private final Rpc rpc = new Rpc();

        /** Kafka transport of the calls; connection settings stay under spring.kafka.*. */
        private final Kafka kafka = new Kafka();

        /** The view of the other servers. */
        private final Discovery discovery = new Discovery();

        /** Servers that stop answering are taken out of routing before the registry notices. */
        private final Outlier outlier = new Outlier();

        /**
         * How long a stopping server keeps answering after it deregistered, while the other servers
         * notice that it is gone.
         */
        private Duration drainDelay = Duration.ofSeconds(1);

        /**
         * Prefix of the uid bindings in the registry's key-value store (Consul KV), so that clusters
         * sharing one Consul keep apart.
         */
        private String bindingsKeyPrefix = "pitaya/bindings/";

        /** Where groups live: in each server's memory, or in the registry's key-value store, shared by the cluster. */
        private final Groups groups = new Groups();

        /** Reliable RPC: remote calls as durable jobs on Kafka, retried, dead-lettered after the last attempt. */
        private final Jobs jobs = new Jobs();

        public Groups getGroups() {
            return groups;
        }

        public Jobs getJobs() {
            return jobs;
        }

        public String getBindingsKeyPrefix() {
            return bindingsKeyPrefix;
        }

        public void setBindingsKeyPrefix(String bindingsKeyPrefix) {
            this.bindingsKeyPrefix = bindingsKeyPrefix;
        }

        public Rpc getRpc() {
            return rpc;
        }

        public Kafka getKafka() {
            return kafka;
        }

        public Discovery getDiscovery() {
            return discovery;
        }

        public Outlier getOutlier() {
            return outlier;
        }

        public Duration getDrainDelay() {
            return drainDelay;
        }

        public void setDrainDelay(Duration drainDelay) {
            this.drainDelay = drainDelay;
        }
    }

    /** Where groups live in cluster mode. */
    public static class Groups {

        /**
         * memory: each server has its own groups (a room on backend A is unknown to backend B). cluster: groups live
         * in the registry's key-value store (Consul KV or ZooKeeper), the same for every server.
         */
        private GroupStoreKind store = GroupStoreKind.MEMORY;

        /** Prefix of the groups in the registry's key-value store, so that clusters sharing one registry keep apart. */
        private String keyPrefix = "pitaya/groups/";

        /** How often each server removes groups past their TTL from the store. */
        private Duration sweepInterval = Duration.ofSeconds(30);

        public GroupStoreKind getStore() {
            return store;
        }

        public void setStore(GroupStoreKind store) {
            this.store = store;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public Duration getSweepInterval() {
            return sweepInterval;
        }

        public void setSweepInterval(Duration sweepInterval) {
            this.sweepInterval = sweepInterval;
        }
    }

    /** Reliable RPC (pitaya's ReliableRPC and worker): jobs on Kafka. */
    public static class Jobs {

        /**
         * Whether this server submits jobs ({@code Pitaya.reliableRpc}) and runs those of its type. Servers of a type
         * that should run jobs need it; a job waits in Kafka until one of them runs.
         */
        private boolean enabled;

        /** Runs of a job before it goes to the dead-letter topic ({@code <prefix>.jobs.<type>.dlt}). */
        private int attempts = 5;

        /** Wait before the second run. */
        private Duration initialBackoff = Duration.ofSeconds(1);

        /** Each further wait is this many times the one before. */
        private double multiplier = 2.0;

        /** The longest wait between runs. */
        private Duration maxBackoff = Duration.ofSeconds(30);

        /** How long one run may take before it counts as failed (and is retried). */
        private Duration timeout = Duration.ofSeconds(10);

        /** Partitions of a type's job topic: at most this many of its servers run its jobs at once. */
        private int partitions = 3;

        /** Consumers of the job topic on this server: jobs it runs at once. */
        private int concurrency = 1;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getAttempts() {
            return attempts;
        }

        public void setAttempts(int attempts) {
            this.attempts = attempts;
        }

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public int getPartitions() {
            return partitions;
        }

        public void setPartitions(int partitions) {
            this.partitions = partitions;
        }

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }
    }

    /** Where groups live. */
    public enum GroupStoreKind {
        /** In each server's memory. */
        MEMORY,
        /** In the registry's key-value store, shared by the cluster. */
        CLUSTER
    }

    /** Servers that stop answering are taken out of routing before the registry notices. */
    public static class Outlier {

        /** Calls to one server that time out in a row (no answer between them) before it is out of routing. */
        private int consecutiveTimeouts = 3;

        /** How long a server that stopped answering gets no calls; then one call tries it again. */
        private Duration ejectionTime = Duration.ofSeconds(10);

        public int getConsecutiveTimeouts() {
            return consecutiveTimeouts;
        }

        public void setConsecutiveTimeouts(int consecutiveTimeouts) {
            this.consecutiveTimeouts = consecutiveTimeouts;
        }

        public Duration getEjectionTime() {
            return ejectionTime;
        }

        public void setEjectionTime(Duration ejectionTime) {
            this.ejectionTime = ejectionTime;
        }
    }

    /** Server-to-server calls. */
    public static class Rpc {

        /** Default time a call may take; the caller then gets PIT-408. */
        private Duration timeout = Duration.ofSeconds(5);

        /**
         * Calls from other servers this server holds at most, queued or running; beyond it a call is
         * refused at once with PIT-503 instead of waiting behind work its caller will have given up on.
         */
        private int maxPending = 4096;

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public int getMaxPending() {
            return maxPending;
        }

        public void setMaxPending(int maxPending) {
            this.maxPending = maxPending;
        }
    }

    /** Kafka transport of the calls. */
    public static class Kafka {

        /** Prefix of each server's inbox ("<prefix>.server.<id>") and reply ("<prefix>.reply.<id>") topics. */
        private String topicPrefix = "pitaya";

        /** Replication factor of those topics; 0 or less uses the broker's default. */
        private short replicationFactor = -1;

        /**
         * How often the topics of servers that vanished without a graceful stop are looked for; they are
         * removed when seen orphaned twice in a row.
         */
        private Duration staleTopicCleanupInterval = Duration.ofMinutes(5);

        public Duration getStaleTopicCleanupInterval() {
            return staleTopicCleanupInterval;
        }

        public void setStaleTopicCleanupInterval(Duration staleTopicCleanupInterval) {
            this.staleTopicCleanupInterval = staleTopicCleanupInterval;
        }

        public String getTopicPrefix() {
            return topicPrefix;
        }

        public void setTopicPrefix(String topicPrefix) {
            this.topicPrefix = topicPrefix;
        }

        public short getReplicationFactor() {
            return replicationFactor;
        }

        public void setReplicationFactor(short replicationFactor) {
            this.replicationFactor = replicationFactor;
        }
    }

    /** The view of the other servers. */
    public static class Discovery {

        /** How often the whole view is rebuilt from the registry, besides the registry's change events. */
        private Duration resyncInterval = Duration.ofSeconds(10);

        public Duration getResyncInterval() {
            return resyncInterval;
        }

        public void setResyncInterval(Duration resyncInterval) {
            this.resyncInterval = resyncInterval;
        }
    }
}
