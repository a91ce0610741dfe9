package io.pitaya.samples.tadpole;

import io.pitaya.spring.component.ComponentLifecycle;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.component.PitayaMethod;
import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.session.Session;

/**
 * nano's tadpole {@code World}: every tadpole that entered is in one group; positions and chat lines go to all of
 * them. Routes {@code World.Enter} (request), {@code World.Update} and {@code World.Message} (notifies); pushes
 * {@code update}, {@code message} and {@code leave}. The sender's id in a push is always its session's, whatever the
 * client wrote.
 */
@PitayaComponent("World")
public class World implements ComponentLifecycle {

    static final String WORLD = "world";
    /** Longest name and chat line passed on: what a client sends is clipped, not trusted. */
    static final int MAX_NAME = 32;
    static final int MAX_MESSAGE = 200;

    private final GroupService groups;

    /** @param groups holds the world's tadpoles */
    public World(GroupService groups) {
        this.groups = groups;
    }

    @Override
    public void init() {
        groups.create(WORLD);
    }

    /**
     * Enters the world; leaving it (and telling everyone) happens when the connection closes.
     * @param session the tadpole's session, logged in with {@code Manager.Login}
     * @param body ignored
     * @return the tadpole's id
     */
    @PitayaMethod("Enter")
    public EnterWorldResponse enter(Session session, byte[] body) {
        String uid = String.valueOf(session.id());
        if (groups.add(WORLD, uid)) {
            session.onClose(() -> {
                groups.remove(WORLD, uid);
                groups.broadcast(WORLD, "leave", new LeaveWorldResponse(session.id()));
            });
        }
        return new EnterWorldResponse(session.id());
    }

    /**
     * A tadpole moved: everyone gets its position as {@code update}.
     * @param session the tadpole's session
     * @param update where it is now
     */
    @PitayaMethod("Update")
    public void update(Session session, UpdateMessage update) {
        groups.broadcast(WORLD, "update", update.from(session.id()));
    }

    /**
     * A chat line over the tadpole: everyone gets it as {@code message}.
     * @param session the tadpole's session
     * @param message the line
     */
    @PitayaMethod("Message")
    public void message(Session session, Say message) {
        groups.broadcast(WORLD, "message", new WorldMessage(session.id(), clip(message.message(), MAX_MESSAGE)));
    }

    static String clip(String text, int max) {
        return text == null ? "" : text.length() <= max ? text : text.substring(0, max);
    }

    /**
     * A tadpole's position, as nano's page sends it; {@code time} (not in nano's) is the sender's clock in
     * milliseconds when it sent it, for a client that measures how late updates arrive.
     */
    public record UpdateMessage(long id, double x, double y, String name, double momentum, double angle, Long time) {

        UpdateMessage from(long sender) {
            return new UpdateMessage(sender, x, y, clip(name, MAX_NAME), momentum, angle, time);
        }
    }

    /** Pushed to the tadpole that entered. */
    public record EnterWorldResponse(long id) {
    }

    /** Pushed to everyone when a tadpole's connection closed. */
    public record LeaveWorldResponse(long id) {
    }

    /** A chat line, as the page sends it. */
    public record Say(String message) {
    }

    /** A chat line, and who said it, as everyone gets it. */
    public record WorldMessage(long id, String message) {
    }
}
