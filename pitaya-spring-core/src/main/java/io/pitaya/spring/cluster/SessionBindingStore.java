package io.pitaya.spring.cluster;

import org.jspecify.annotations.Nullable;


/**
 * Where each bound uid is connected: uid to frontend id, kept outside any server's memory (the
 * registry's key-value store). Lets any server reach a user's frontend directly, and lets a frontend
 * kick an older session of the same uid on another frontend.
 * <p>
 * Implementations: {@code ConsulSessionBindingStore} (Consul KV, check-and-set),
 * {@code ZookeeperSessionBindingStore} (ephemeral nodes, versioned transactions) and
 * {@link InMemorySessionBindingStore} for servers sharing one JVM. When the store cannot be reached,
 * a lookup answers "unknown" and a write is skipped with a warning; none of them throws.
 */
public interface SessionBindingStore {

    /**
     * Binds a uid to a frontend, atomically with respect to other binds of the same uid: when two
     * frontends bind it at once, exactly one of them learns of the other.
     *
     * @param uid a user id
     * @param frontendId the frontend now holding it
     * @return the frontend that held the uid just before, or {@code null} when none did (or the store
     *         could not be reached: then the binding is not stored)
     */
    @Nullable String bind(String uid, String frontendId);

    /**
     * @param uid a user id
     * @return the frontend holding it, or {@code null} when unknown
     */
    @Nullable String frontendOf(String uid);

    /**
     * Forgets a binding, unless the uid has meanwhile been bound to another frontend.
     * @param uid a user id
     * @param frontendId the frontend that held it
     */
    void unbind(String uid, String frontendId);
}
