package io.pitaya.spring.session;

import java.util.Map;

import io.pitaya.protocol.HandshakeRequest;
import org.jspecify.annotations.Nullable;

/**
 * One connected player: the server side of a client connection.
 *
 * <p>Messages of one session are handled one at a time in arrival order, so a handler may read and
 * write the session's data without locking. Pushes and kicks may come from any thread.
 */
public interface Session {

    /** @return the session id, unique on this server */
    long id();

    /** @return the bound user id, or {@code null} before {@link #bind(String)} */
    @Nullable String uid();

    /**
     * Binds a user id to this session. With unique sessions on (the default) a session already bound
     * to the same uid on this server is kicked.
     * @param uid the user id, not empty
     * @throws io.pitaya.PitayaException when the uid is empty or this session is already bound
     */
    void bind(String uid);

    /**
     * @param key a key
     * @return the value stored under the key, or {@code null}
     */
    @Nullable Object get(String key);

    /**
     * Stores a value in the session's data.
     * @param key a key
     * @param value the value; {@code null} removes the key
     */
    void set(String key, @Nullable Object value);

    /** @return a snapshot of the session's data */
    Map<String, Object> data();

    /**
     * Replaces all of the session's data.
     * @param data the new data
     */
    void setData(Map<String, Object> data);

    /**
     * Sends this session's data to the frontend that holds the client (pitaya's {@code PushToFront}),
     * so that later messages, on any server, see it. On a frontend the data is already there.
     */
    default void pushToFront() {
    }

    /**
     * Sends a Push to the client.
     * @param route the push route, e.g. {@code onMessage}
     * @param payload the payload: an object for the serializer, or {@code byte[]} sent raw
     * @return false when the session is already closed and nothing was sent
     */
    boolean push(String route, Object payload);

    /** Sends a Kick and closes the connection (close reason {@link CloseReason#KICKED}, code {@code kicked}). */
    void kick();

    /**
     * Kicks with a reason. When {@code pitaya.session.kick-route} names a route, the client first gets a push of
     * {@code {code, reason}} on it (pitaya's Kick packet has no body, and stays so for every client); the close
     * reason is {@link CloseReason#KICKED} with this code. On a backend, the client's frontend does it.
     * @param code a code the client can act on, e.g. {@code GAME-AFK}
     * @param reason words for the player or the logs
     */
    void kick(String code, String reason);

    /** @return why the session closed; {@code null} while it is open, and on a backend's copy of a session */
    default @Nullable CloseReason closeReason() {
        return null;
    }

    /** Closes the connection without a Kick. */
    void close();

    /** @return true once the connection is closed */
    boolean isClosed();

    /**
     * Runs a callback when the session closes, whatever closes it. Callbacks run once, in the order added;
     * added after the close, it runs at once.
     * @param callback the callback
     */
    void onClose(Runnable callback);

    /** @return what the client sent in its handshake */
    HandshakeRequest handshake();

    /** @return the client's address, as the acceptor sees it */
    String remoteAddress();
}
