package io.pitaya.samples.cluster;

import io.pitaya.PitayaException;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.session.Session;
import io.pitaya.spring.session.SessionListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * A player whose connection closes leaves the room. The room is a cluster-wide group
 * ({@code pitaya.cluster.groups.store: cluster}): the backend that created it and this frontend, which sees the
 * player go, change the same group.
 */
@Component
@Profile("frontend")
public class RoomMembership implements SessionListener {

    private static final Log logger = LogFactory.getLog(RoomMembership.class);

    private final Pitaya pitaya;

    /** @param pitaya the groups */
    public RoomMembership(Pitaya pitaya) {
        this.pitaya = pitaya;
    }

    @Override
    public void onClose(Session session) {
        if (session.uid() == null) {
            return;
        }
        try {
            if (pitaya.groups().exists(Room.ROOM)) {
                pitaya.groups().remove(Room.ROOM, session.uid());
            }
        } catch (PitayaException e) {
            logger.warn("uid " + session.uid() + " left, but could not be removed from the room: " + e.getMessage());
        }
    }
}
