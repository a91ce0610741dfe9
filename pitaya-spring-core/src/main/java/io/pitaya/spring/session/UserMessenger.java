package io.pitaya.spring.session;

import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Delivers pushes and kicks to users by uid, wherever they are connected: on this server in
 * standalone mode, on the frontend that holds each user in cluster mode.
 */
public interface UserMessenger {

    /**
     * @param route the push route
     * @param body the serialized body
     * @param uids the users
     * @param frontendType the type of frontend holding them, {@code null} for any
     * @return the uids that could not be reached (in cluster mode: not bound, or bound to a frontend that is gone;
     *         the push to another frontend is sent without waiting for its answer)
     */
    List<String> push(String route, byte[] body, Collection<String> uids, @Nullable String frontendType);

    /**
     * Pushes one message to many users, e.g. a group's members, serialized once for all of them.
     * In cluster mode each frontend gets one message for all the users, whichever it holds, without a lookup per user;
     * users that none holds are counted ({@link io.pitaya.spring.metrics.PitayaMetrics#broadcastUndelivered}) once the
     * frontends answered, never waited for.
     * @param route the push route
     * @param body the serialized body
     * @param uids the users
     * @param frontendType the type of frontend holding them, {@code null} for any
     * @return the uids known unreachable at once (in cluster mode: all of those this server does not hold, when no
     *         other frontend of the type is up)
     */
    default List<String> broadcast(String route, byte[] body, Collection<String> uids, @Nullable String frontendType) {
        return push(route, body, uids, frontendType);
    }

    /**
     * @param uids the users
     * @param frontendType the type of frontend holding them, {@code null} for any
     * @param code the kick's code (see {@link Session#kick(String, String)}), {@code null} for a plain kick
     * @param reason the kick's reason, {@code null} for a plain kick
     * @return the uids that were not connected (in cluster mode: not bound, or bound to a frontend that is gone)
     */
    List<String> kick(Collection<String> uids, @Nullable String frontendType, @Nullable String code, @Nullable String reason);
}
