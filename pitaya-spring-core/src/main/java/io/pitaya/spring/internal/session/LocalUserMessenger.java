package io.pitaya.spring.internal.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.pitaya.spring.session.Session;
import io.pitaya.spring.session.UserMessenger;

/** Pushes and kicks to the sessions of this server. */
public class LocalUserMessenger implements UserMessenger {

    private final SessionRegistry sessions;
    private final OutboundEncoder encoder;

    /**
     * @param sessions the sessions of this server
     * @param encoder encodes pushes
     */
    public LocalUserMessenger(SessionRegistry sessions, OutboundEncoder encoder) {
        this.sessions = sessions;
        this.encoder = encoder;
    }

    @Override
    public List<String> push(String route, byte[] body, Collection<String> uids, String frontendType) {
        byte[] packet = encoder.push(route, body);
        List<String> failed = new ArrayList<>();
        for (String uid : uids) {
            if (!(sessions.byUid(uid) instanceof LocalSession session) || !session.send(packet)) {
                failed.add(uid);
            }
        }
        return failed;
    }

    @Override
    public List<String> kick(Collection<String> uids, String frontendType, String code, String reason) {
        List<String> failed = new ArrayList<>();
        for (String uid : uids) {
            Session session = sessions.byUid(uid);
            if (session == null || session.isClosed()) {
                failed.add(uid);
            } else if (code == null) {
                session.kick();
            } else {
                session.kick(code, reason);
            }
        }
        return failed;
    }
}
