package io.pitaya.spring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.session.LocalSession;
import io.pitaya.spring.session.OutboundEncoder;
import io.pitaya.spring.session.Session;
import io.pitaya.spring.session.SessionRegistry;

/**
 * The application's handle on the server: sessions, pushes and kicks to users, groups. Inject it
 * where needed.
 */
public class Pitaya {

    private final String serverId;
    private final String serverType;
    private final SessionRegistry sessions;
    private final GroupService groups;
    private final OutboundEncoder encoder;

    /**
     * @param serverId this server's id
     * @param serverType this server's type
     * @param sessions the sessions of this server
     * @param groups the groups
     * @param encoder encodes pushes
     */
    public Pitaya(String serverId, String serverType, SessionRegistry sessions, GroupService groups, OutboundEncoder encoder) {
        this.serverId = serverId;
        this.serverType = serverType;
        this.sessions = sessions;
        this.groups = groups;
        this.encoder = encoder;
    }

    /** @return this server's id */
    public String serverId() {
        return serverId;
    }

    /** @return this server's type */
    public String serverType() {
        return serverType;
    }

    /**
     * @param id a session id
     * @return the open session, or {@code null}
     */
    public Session session(long id) {
        return sessions.byId(id);
    }

    /**
     * @param uid a user id
     * @return the open session bound to the uid, or {@code null}
     */
    public Session sessionByUid(String uid) {
        return sessions.byUid(uid);
    }

    /** @return how many sessions are open on this server */
    public int sessionCount() {
        return sessions.count();
    }

    /**
     * Pushes one message to users; the payload is serialized once.
     * @param route the push route
     * @param payload the payload, {@code byte[]} for a raw body
     * @param uids the users
     * @return the uids that could not be reached (not connected here)
     */
    public List<String> pushToUsers(String route, Object payload, Collection<String> uids) {
        byte[] packet = encoder.push(route, encoder.body(payload));
        List<String> failed = new ArrayList<>();
        for (String uid : uids) {
            if (!(sessions.byUid(uid) instanceof LocalSession session) || !session.send(packet)) {
                failed.add(uid);
            }
        }
        return failed;
    }

    /**
     * Kicks users: each gets a Kick and is disconnected.
     * @param uids the users
     * @return the uids that were not connected here
     */
    public List<String> kickUsers(Collection<String> uids) {
        List<String> failed = new ArrayList<>();
        for (String uid : uids) {
            Session session = sessions.byUid(uid);
            if (session == null || session.isClosed()) {
                failed.add(uid);
            } else {
                session.kick();
            }
        }
        return failed;
    }

    /** @return the groups of this server */
    public GroupService groups() {
        return groups;
    }
}
