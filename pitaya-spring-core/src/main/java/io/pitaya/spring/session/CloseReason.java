package io.pitaya.spring.session;

/**
 * Why a session closed, for its close callbacks, the {@link SessionListener}s and the metrics.
 *
 * @param kind what closed it, one of the constants here: the {@code reason} tag of
 *             {@code pitaya.acceptor.connections.closed}
 * @param code the code given to {@link Session#kick(String, String)} when the game kicked it, else the kind
 * @param message a human-readable reason
 */
public record CloseReason(String kind, String code, String message) {

    /** The client closed the connection, or the network lost it. */
    public static final String CLIENT = "client";
    /** The game kicked the session ({@link Session#kick(String, String)}, {@code Pitaya.kickUsers}). */
    public static final String KICKED = "kicked";
    /** Its uid was bound by a newer session (one session per uid). */
    public static final String DUPLICATE_SESSION = "duplicate-session";
    /** The server is stopping. */
    public static final String SERVER_STOPPING = "server-stopping";
    /** The game closed it without a Kick ({@link Session#close()}). */
    public static final String CLOSED = "closed";
    /** Its handshake was refused, too large, or not completed in time. */
    public static final String HANDSHAKE = "handshake";
    /** The client sent nothing for twice the heartbeat interval. */
    public static final String HEARTBEAT_TIMEOUT = "heartbeat-timeout";
    /** The client broke the wire format or a limit. */
    public static final String PROTOCOL_ERROR = "protocol-error";
    /** The client did not read what the server sent (outbound limit or send-time limit). */
    public static final String SLOW_READER = "slow-reader";
    /** The client sent more than the rate limit allows ({@code on-exceeded: close}). */
    public static final String RATE_LIMIT = "rate-limit";

    /**
     * @param kind one of the constants
     * @param message a human-readable reason
     * @return the reason, its code the kind
     */
    public static CloseReason of(String kind, String message) {
        return new CloseReason(kind, kind, message);
    }
}
