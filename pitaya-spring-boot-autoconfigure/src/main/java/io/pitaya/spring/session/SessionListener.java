package io.pitaya.spring.session;

/** Told when sessions are bound to a uid and when they close. Declare one as a bean. */
public interface SessionListener {

    /**
     * A session was bound to a uid.
     * @param session the session, already bound
     */
    default void onBind(Session session) {
    }

    /**
     * A session closed; its close callbacks have run.
     * @param session the session
     */
    default void onClose(Session session) {
    }
}
