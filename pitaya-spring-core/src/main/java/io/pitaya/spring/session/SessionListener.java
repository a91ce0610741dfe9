package io.pitaya.spring.session;

/** Told when sessions are bound to a uid and when they close. Declare one as a bean. */
public interface SessionListener {

    /**
     * A session is about to be bound to a uid (pitaya's {@code OnSessionBind}), on the client's frontend: throw to
     * refuse, and the bind fails with that error (a {@link io.pitaya.PitayaException} keeps its code, to the
     * handler that called {@code bind}, on whichever server) while the session stays unbound. Runs on the thread
     * that binds; it may block (a ban list in a database).
     * @param session the session, not bound yet
     * @param uid the uid it asks for
     */
    default void beforeBind(Session session, String uid) {
    }

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
