package io.pitaya;

/** pitaya's error codes, as they travel in error responses. */
public final class ErrorCodes {

    /** The handler failed with a non-framework exception, or returned null. */
    public static final String UNKNOWN = "PIT-000";
    /** Undecodable route or payload, or a request sent to a notify-only handler. */
    public static final String BAD_REQUEST = "PIT-400";
    /** No such handler or remote. */
    public static final String NOT_FOUND = "PIT-404";
    /** A server-to-server call timed out. */
    public static final String TIMEOUT = "PIT-408";
    /** A push or response to a session that is already closed. */
    public static final String CLOSED_REQUEST = "PIT-499";
    /** Internal failure: no server of the target type, routing failed, backend failure. */
    public static final String INTERNAL = "PIT-500";
    /**
     * The server has too many calls of other servers waiting already and refused this one at once (not one
     * of pitaya's Go codes: ours, as HTTP's 503); the caller may retry elsewhere or later.
     */
    public static final String OVERLOADED = "PIT-503";

    private ErrorCodes() {
    }
}
