package io.pitaya.spring.metrics;

import io.pitaya.spring.acceptor.ConnectionEvents;
import org.jspecify.annotations.Nullable;

/**
 * What the server measures, named after pitaya's own metrics. The framework calls this interface;
 * with Micrometer present it becomes meters (the README lists them), otherwise nothing.
 */
public interface PitayaMetrics extends ConnectionEvents {

    /** Measures nothing. */
    PitayaMetrics NONE = new PitayaMetrics() {
    };

    /**
     * The value to give a route where it becomes a low-cardinality tag (observations): the route once it is
     * known to be one, otherwise a placeholder shared by all unknown routes. Ask again after {@link #handled}
     * or {@link #rpcCalled}, which learn the routes that exist.
     * @param route a route as a client or server sent it
     * @return the tag value
     */
    default String routeTag(String route) {
        return route;
    }

    /** A handler answered a client's message, or a remote answered another server. */
    String TYPE_HANDLER = "handler";
    /** A remote ({@code @PitayaRemote}) answered another server. */
    String TYPE_RPC = "rpc";
    /** A message of a client connected to this server. */
    String DELAY_LOCAL = "local";
    /** A message forwarded by another server. */
    String DELAY_REMOTE = "remote";

    /**
     * @param route the route handled
     * @param type {@link #TYPE_HANDLER} or {@link #TYPE_RPC}
     * @param nanos time from the start of handling to the answer
     * @param code the error code, or {@code null} when it succeeded
     */
    default void handled(String route, String type, long nanos, @Nullable String code) {
    }

    /**
     * Reported once the message was handled, after {@link #handled}, so that the route's outcome is known.
     * @param route the route that ran
     * @param type {@link #DELAY_LOCAL} or {@link #DELAY_REMOTE}
     * @param nanos time the message waited before its handler ran
     */
    default void delayed(String route, String type, long nanos) {
    }

    /**
     * A response was not sent because its session had closed (pitaya's PIT-499).
     * @param route the route of the message dropped
     */
    default void dropped(String route) {
    }

    /**
     * @param route the route called on another server
     * @param nanos time until the answer or the failure
     * @param code the error code, or {@code null} when it succeeded (PIT-408 is a timeout)
     */
    default void rpcCalled(String route, long nanos, @Nullable String code) {
    }

    /**
     * Pushes of a group broadcast that reached no member: the member was on none of the frontends (left, or never
     * connected), as the frontends answered.
     * @param count pushes dropped
     */
    default void broadcastUndelivered(int count) {
    }

    /**
     * A reliable RPC job changed state.
     * @param route the job's remote
     * @param result {@code submitted}, {@code refused} (not accepted by Kafka), {@code started}, {@code succeeded},
     *        {@code failed} (one run), {@code retried}, {@code dead-lettered}
     */
    default void job(String route, String result) {
    }
}
