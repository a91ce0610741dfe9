package io.pitaya.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.spring.component.NamingStrategy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
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
    @NestedConfigurationProperty
    private final AcceptorProperties acceptor = new AcceptorProperties();

    /** Sessions. */
    private final SessionSettings session = new SessionSettings();

    /** How handlers run. */
    private final Dispatch dispatch = new Dispatch();

    /** Cluster mode: discovery and RPC between servers. */
    @NestedConfigurationProperty
    private final ClusterProperties cluster = new ClusterProperties();

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

    public AcceptorProperties getAcceptor() {
        return acceptor;
    }

    public SessionSettings getSession() {
        return session;
    }

    public Dispatch getDispatch() {
        return dispatch;
    }

    public ClusterProperties getCluster() {
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
        p.acceptor.validate(errors);
        long maxPacket = p.acceptor.getMaxPacketSize().toBytes();
        long handshakeMax = p.handshake.maxSize.toBytes();
        if (handshakeMax < 64 || handshakeMax > Math.max(64, maxPacket)) {
            errors.rejectValue("handshake.maxSize", "range", "must be between 64B and pitaya.acceptor.max-packet-size ("
                    + maxPacket + "B); got " + handshakeMax + "B");
        }
        atLeast(errors, "handshake.maxDepth", p.handshake.maxDepth, 2);
        atLeast(errors, "handshake.maxEntries", p.handshake.maxEntries, 1);
        atLeast(errors, "dispatch.threads", p.dispatch.threads, 1);
        positive(errors, "dispatch.handlerTimeout", p.dispatch.handlerTimeout);
        p.cluster.validate(errors);
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

    static void positive(Errors errors, String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            errors.rejectValue(field, "positive", "must be a positive duration; got " + value);
        }
    }

    static void atLeast(Errors errors, String field, int value, int min) {
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

}
