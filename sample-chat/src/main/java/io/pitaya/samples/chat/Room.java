package io.pitaya.samples.chat;

import java.util.List;

import io.pitaya.spring.component.ComponentLifecycle;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.session.Session;

/**
 * The chat room, as in pitaya's Go chat example: everyone who joins is in one group, and every
 * message goes to the whole group. Routes {@code room.join} and {@code room.message}.
 */
@PitayaComponent("room")
public class Room implements ComponentLifecycle {

    private static final String ROOM = "room";

    private final GroupService groups;

    /** @param groups where the room's members are kept */
    public Room(GroupService groups) {
        this.groups = groups;
    }

    @Override
    public void init() {
        groups.create(ROOM);
    }

    /**
     * Joins the room. The uid is the session id, like the Go example (a real game would authenticate).
     * The joiner gets {@code onMembers} with those already in the room; they get {@code onNewUser}.
     * @param session the joining session
     * @param body ignored: any body is accepted
     * @return success
     */
    public JoinResponse join(Session session, byte[] body) {
        String uid = String.valueOf(session.id());
        session.bind(uid);
        session.push("onMembers", new AllMembers(groups.members(ROOM)));
        // Broadcast before adding: the newcomer is not told about itself.
        groups.broadcast(ROOM, "onNewUser", new NewUser("New user: " + uid));
        groups.add(ROOM, uid);
        session.onClose(() -> groups.remove(ROOM, uid));
        return new JoinResponse(0, "success");
    }

    /**
     * Sends a message to everyone in the room, the sender included, as {@code onMessage}.
     * @param message the message
     */
    public void message(UserMessage message) {
        groups.broadcast(ROOM, "onMessage", message);
    }

    /** A chat line, from the client and to every member. */
    public record UserMessage(String name, String content) {
    }

    /** Pushed to the room when someone joins. */
    public record NewUser(String content) {
    }

    /** Pushed to a newcomer: who is already in the room. */
    public record AllMembers(List<String> members) {
    }

    /** The answer to {@code room.join}. */
    public record JoinResponse(int code, String result) {
    }
}
