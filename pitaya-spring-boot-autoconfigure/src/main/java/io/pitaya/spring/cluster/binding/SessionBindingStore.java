package io.pitaya.spring.cluster.binding;

/**
 * Where each bound uid is connected: uid to frontend id. Lets any server reach a user's frontend
 * directly, and lets a frontend kick an older session of the same uid on another frontend.
 */
public interface SessionBindingStore {

    /**
     * @param uid a user id
     * @param frontendId the frontend now holding it
     */
    void bind(String uid, String frontendId);

    /**
     * @param uid a user id
     * @return the frontend holding it, or {@code null} when unknown
     */
    String frontendOf(String uid);

    /**
     * Forgets a binding, unless the uid has meanwhile been bound to another frontend.
     * @param uid a user id
     * @param frontendId the frontend that held it
     */
    void unbind(String uid, String frontendId);
}
