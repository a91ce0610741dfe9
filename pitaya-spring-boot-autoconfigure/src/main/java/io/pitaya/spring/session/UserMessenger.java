package io.pitaya.spring.session;

import java.util.Collection;
import java.util.List;

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
    List<String> push(String route, byte[] body, Collection<String> uids, String frontendType);

    /**
     * @param uids the users
     * @param frontendType the type of frontend holding them, {@code null} for any
     * @param code the kick's code (see {@link Session#kick(String, String)}), {@code null} for a plain kick
     * @param reason the kick's reason
     * @return the uids that were not connected (in cluster mode: not bound, or bound to a frontend that is gone)
     */
    List<String> kick(Collection<String> uids, String frontendType, String code, String reason);
}
