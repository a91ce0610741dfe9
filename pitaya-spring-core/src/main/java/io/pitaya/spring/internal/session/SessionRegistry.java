package io.pitaya.spring.internal.session;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.spring.session.CloseReason;
import io.pitaya.spring.session.Session;
import io.pitaya.spring.session.SessionListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The sessions of this server, by id and by bound uid.
 */
public class SessionRegistry {

    private static final Log logger = LogFactory.getLog(SessionRegistry.class);

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Session> byId = new ConcurrentHashMap<>();
    private final Map<String, Session> byUid = new ConcurrentHashMap<>();
    private final boolean unique;
    private volatile String kickRoute = "";
    private volatile java.util.function.Function<CloseReason, Object> kickPayload = reason -> null;
    private final java.util.function.Supplier<List<SessionListener>> listeners;

    /**
     * @param unique whether binding a uid kicks an older session with the same uid
     * @param listeners told of binds and closes
     */
    public SessionRegistry(boolean unique, List<SessionListener> listeners) {
        this.unique = unique;
        List<SessionListener> fixed = List.copyOf(listeners);
        this.listeners = () -> fixed;
    }

    /**
     * @param unique whether binding a uid kicks an older session with the same uid
     * @param listeners supplies the listeners told of binds and closes, asked once at the first bind or close (so that a
     *        listener may depend on beans that depend on this registry, e.g. {@code Pitaya})
     */
    public SessionRegistry(boolean unique, java.util.function.Supplier<List<SessionListener>> listeners) {
        this.unique = unique;
        this.listeners = org.springframework.util.function.SingletonSupplier.of(() -> List.copyOf(listeners.get()));
    }

    /** @return a new session id */
    public long nextId() {
        return ids.incrementAndGet();
    }

    /**
     * @param id a session id
     * @return the open session with that id, or {@code null}
     */
    public @Nullable Session byId(long id) {
        return byId.get(id);
    }

    /**
     * @param uid a user id
     * @return the open session bound to that uid, or {@code null}
     */
    public @Nullable Session byUid(String uid) {
        return uid == null ? null : byUid.get(uid);
    }

    /** @return the open sessions */
    public Collection<Session> sessions() {
        return byId.values();
    }

    /** @return how many sessions are open */
    public int count() {
        return byId.size();
    }

    /** @return how many open sessions are bound to a uid */
    public int boundCount() {
        return byUid.size();
    }

    void opened(Session session) {
        byId.put(session.id(), session);
    }

    /**
     * What a kicked client is pushed before its Kick packet ({@code pitaya.session.kick-route}).
     * @param route the push route; empty for no push
     * @param payload the push's payload for a reason, in the server's serializer ({@code {code, reason}})
     */
    public void setKickNotice(String route, java.util.function.Function<CloseReason, Object> payload) {
        this.kickRoute = route == null ? "" : route;
        this.kickPayload = payload;
    }

    /** The push that precedes a Kick. */
    record KickNotice(String route, Object payload) {
    }

    KickNotice kickNotice(CloseReason reason) {
        String route = kickRoute;
        return route.isEmpty() ? null : new KickNotice(route, kickPayload.apply(reason));
    }

    /** The listeners may refuse the bind: what they throw reaches the binder, and nothing is recorded. */
    void beforeBind(Session session, String uid) {
        for (SessionListener listener : listeners.get()) {
            listener.beforeBind(session, uid);
        }
    }

    void bound(Session session, String uid) {
        if (uid == null || uid.isEmpty()) {
            throw new PitayaException(ErrorCodes.BAD_REQUEST, "uid must not be empty");
        }
        Session older = byUid.put(uid, session);
        if (session.isClosed()) {
            // Closed while binding: its close may have run before the uid was recorded, so nothing else forgets it.
            byUid.remove(uid, session);
            return;
        }
        if (older != null && older != session && unique) {
            logger.info("uid " + uid + " bound again by session " + session.id() + ": kicking older session " + older.id());
            if (older instanceof LocalSession local) {
                local.kick(CloseReason.of(CloseReason.DUPLICATE_SESSION, "uid " + uid + " bound by another session"));
            } else {
                older.kick(CloseReason.DUPLICATE_SESSION, "uid " + uid + " bound by another session");
            }
        }
        for (SessionListener listener : listeners.get()) {
            try {
                listener.onBind(session);
            } catch (RuntimeException e) {
                logger.warn("session listener failed on bind of session " + session.id(), e);
            }
        }
    }

    void closed(Session session) {
        byId.remove(session.id(), session);
        if (session.uid() != null) {
            byUid.remove(session.uid(), session);
        }
        for (SessionListener listener : listeners.get()) {
            try {
                listener.onClose(session);
            } catch (RuntimeException e) {
                logger.warn("session listener failed on close of session " + session.id(), e);
            }
        }
    }
}
