package io.pitaya.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.pitaya.spring.component.NamingStrategy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of a pitaya server, under {@code pitaya.*}. Defaults mirror pitaya's where pitaya has one.
 */
@ConfigurationProperties("pitaya")
public class PitayaProperties {

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

    public Shutdown getShutdown() {
        return shutdown;
    }

    public Metrics getMetrics() {
        return metrics;
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
         * Compressed bodies from clients are always accepted.
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

        /** Largest packet body accepted from a client; a header announcing more closes the connection. */
        private DataSize maxPacketSize = DataSize.ofMegabytes(1);

        /**
         * Messages of one session waiting for their handler. When the queue is full the server stops
         * reading that connection until it drains.
         */
        private int inboundQueueSize = 128;

        /** Bytes waiting to be written to one client; a slower reader is closed. */
        private DataSize outboundBufferLimit = DataSize.ofMegabytes(4);

        /** Longest time a single send to a WebSocket client may take before the session is closed. */
        private Duration sendTimeLimit = Duration.ofSeconds(10);

        /** Per-connection message rate limit (pitaya's, off by default). */
        private final RateLimit rateLimit = new RateLimit();

        /** TCP acceptor (Netty). */
        private final Tcp tcp = new Tcp();

        /** WebSocket acceptor (Spring WebSocket on the HTTP port). */
        private final WebSocket websocket = new WebSocket();

        public DataSize getMaxPacketSize() {
            return maxPacketSize;
        }

        public void setMaxPacketSize(DataSize maxPacketSize) {
            this.maxPacketSize = maxPacketSize;
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

    /** WebSocket acceptor (Spring WebSocket on the HTTP port). */
    public static class WebSocket {

        /** Whether to accept clients over WebSocket. */
        private boolean enabled = true;

        /** Path of the WebSocket endpoint on the HTTP server. */
        private String path = "/pitaya";

        /** Origins allowed to open the WebSocket, "*" for any. */
        private String[] allowedOrigins = {"*"};

        /**
         * Most WebSocket connections held at once; further ones are closed as they arrive. 0 for no cap.
         * (TLS for WebSocket is the web server's: server.ssl.bundle.)
         */
        private int maxConnections = 0;

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

        public Duration getDrainDelay() {
            return drainDelay;
        }

        public void setDrainDelay(Duration drainDelay) {
            this.drainDelay = drainDelay;
        }
    }

    /** Server-to-server calls. */
    public static class Rpc {

        /** Default time a call may take; the caller then gets PIT-408. */
        private Duration timeout = Duration.ofSeconds(5);

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
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
