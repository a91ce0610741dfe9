package io.pitaya.samples.cluster;

import io.pitaya.samples.cluster.protos.Reply;
import io.pitaya.samples.cluster.protos.SessionData;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.session.Session;
import org.springframework.context.annotation.Profile;

/**
 * The frontend's own handlers, as in pitaya's cluster example: the session data of the client's real
 * session, which lives here. Routes {@code connector.getsessiondata}, {@code connector.setsessiondata}
 * (requests) and {@code connector.notifysessiondata} (notify).
 */
@Profile("frontend")
@PitayaComponent("connector")
public class Connector {

    /**
     * @param session the client's session
     * @return its data
     */
    public SessionData getSessionData(Session session) {
        return Messages.sessionData(session);
    }

    /**
     * Replaces the session's data.
     * @param session the client's session
     * @param data the new data
     * @return success
     */
    public Reply setSessionData(Session session, SessionData data) {
        session.setData(Messages.toMap(data));
        return Messages.success();
    }

    /**
     * Replaces the session's data, without an answer.
     * @param session the client's session
     * @param data the new data
     */
    public void notifySessionData(Session session, SessionData data) {
        session.setData(Messages.toMap(data));
    }
}
