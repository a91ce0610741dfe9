package io.pitaya.samples.cluster;

import java.util.List;
import java.util.UUID;

import io.pitaya.PitayaException;
import io.pitaya.samples.cluster.protos.AllMembers;
import io.pitaya.samples.cluster.protos.JoinResponse;
import io.pitaya.samples.cluster.protos.NewUser;
import io.pitaya.samples.cluster.protos.RPCMsg;
import io.pitaya.samples.cluster.protos.RPCRes;
import io.pitaya.samples.cluster.protos.Reply;
import io.pitaya.samples.cluster.protos.SendRPCMsg;
import io.pitaya.samples.cluster.protos.SessionData;
import io.pitaya.samples.cluster.protos.UserMessage;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.component.ComponentLifecycle;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.session.Session;
import org.springframework.context.annotation.Profile;

/**
 * The room of pitaya's cluster example, on the backend (server type {@code room}). Clients reach it
 * through a connector frontend at {@code room.room.<method>}; what it pushes and broadcasts travels back
 * through the frontend that holds each client.
 */
@Profile("backend")
@PitayaComponent("room")
public class Room implements ComponentLifecycle {

    /** The room: a cluster-wide group, the same on every server. */
    static final String ROOM = "room";
    private static final String FRONTEND_TYPE = "connector";

    private final Pitaya pitaya;

    /** @param pitaya groups, pushes to users and remote calls */
    public Room(Pitaya pitaya) {
        this.pitaya = pitaya;
    }

    @Override
    public void init() {
        pitaya.groups().create(ROOM);
    }

    /**
     * Binds the session to a new uid, as pitaya's example does (a real game would authenticate); the
     * binding reaches the frontend before the answer does.
     * @param session the client's session
     * @return ok
     */
    public JoinResponse entry(Session session) {
        session.bind(UUID.randomUUID().toString());
        return JoinResponse.newBuilder().setResult("ok").build();
    }

    /**
     * Joins the room: the joiner gets {@code onMembers} with those already in it, they get {@code onNewUser}.
     * @param session the client's session, bound by {@link #entry}
     * @return success
     */
    public JoinResponse join(Session session) {
        String uid = uid(session);
        session.push("onMembers", AllMembers.newBuilder().addAllMembers(pitaya.groups().members(ROOM)).build());
        // Broadcast before adding: the newcomer is not told about itself.
        broadcast("onNewUser", NewUser.newBuilder().setContent("New user: " + uid).build());
        pitaya.groups().add(ROOM, uid);
        return JoinResponse.newBuilder().setResult("success").build();
    }

    /**
     * Sends a message to everyone in the room, the sender included, as {@code onMessage}.
     * @param message the message
     */
    public void message(UserMessage message) {
        broadcast("onMessage", message);
    }

    /**
     * Leaves the room.
     * @param session the client's session
     * @return success
     */
    public Reply leave(Session session) {
        pitaya.groups().remove(ROOM, uid(session));
        return Messages.success();
    }

    /**
     * @param session the backend's copy of the client's session
     * @return its data, as the frontend sent it with the request
     */
    public SessionData getSessionData(Session session) {
        return Messages.sessionData(session);
    }

    /**
     * Replaces the session's data, here and on the frontend (pitaya's {@code PushToFront}), so that later
     * requests, to any server, see it.
     * @param session the client's session
     * @param data the new data
     * @return success
     */
    public Reply setSessionData(Session session, SessionData data) {
        session.setData(Messages.toMap(data));
        session.pushToFront();
        return Messages.success();
    }

    /**
     * Pushes {@code testPush} to the caller by uid, as any server could push to any user.
     * @param session the client's session, bound by {@link #entry}
     */
    public void notifyPush(Session session) {
        pitaya.pushToUsers("testPush", RPCMsg.newBuilder().setMsg("test").build(), List.of(uid(session)), FRONTEND_TYPE);
    }

    /**
     * Calls a remote on one server, e.g. {@code connector.connectorremote.remotefunc} on {@code connector-1}.
     * @param message the server, the remote's route and the text to send
     * @return the remote's answer
     */
    public RPCRes sendRpc(SendRPCMsg message) {
        return pitaya.rpcTo(message.getServerId(), message.getRoute(), RPCMsg.newBuilder().setMsg(message.getMsg()).build(),
                RPCRes.class);
    }

    /**
     * Claims the player's daily reward as a reliable RPC job: durable once this answers, granted by
     * {@code room.rewardremote.grant} on a room server even if it fails or the server dies first; the player gets
     * {@code onReward}. The job id makes a second claim the same job, granted once.
     * @param session the client's session, bound by {@link #entry}
     * @return the job id
     */
    public java.util.concurrent.CompletableFuture<RPCRes> reward(Session session) {
        String uid = uid(session);
        return pitaya.reliableRpc("daily-reward:" + uid, "room.rewardremote.grant", RPCMsg.newBuilder().setMsg(uid).build())
                .thenApply(job -> RPCRes.newBuilder().setMsg(job).build());
    }

    /** Broadcasts to the room through the connector frontends; members no frontend holds any more have left. */
    private void broadcast(String route, Object payload) {
        pitaya.groups().broadcast(FRONTEND_TYPE, ROOM, route, payload).forEach(uid -> pitaya.groups().remove(ROOM, uid));
    }

    private static String uid(Session session) {
        if (session.uid() == null) {
            throw new PitayaException("ROOM-401", "no uid: request room.room.entry first");
        }
        return session.uid();
    }
}
