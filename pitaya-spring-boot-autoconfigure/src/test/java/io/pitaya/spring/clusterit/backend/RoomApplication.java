package io.pitaya.spring.clusterit.backend;

import java.util.List;
import java.util.Map;

import io.pitaya.PitayaException;
import io.pitaya.protocol.proto.PitayaProto.BindMsg;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.component.PitayaRemote;
import io.pitaya.spring.session.Session;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The backend of the cluster tests: server type "room". */
@SpringBootApplication
public class RoomApplication {

    /** What the remote interceptor saw after each call: route and error code ("ok" when none). */
    public static final java.util.Queue<String> REMOTE_CALLS = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Refuses remote calls for uid "forbidden", as a game guards its remotes, and records every call. */
    @org.springframework.context.annotation.Bean
    io.pitaya.spring.dispatch.RemoteInterceptor guard() {
        return new io.pitaya.spring.dispatch.RemoteInterceptor() {
            @Override
            public Object beforeRemote(String route, Object arg) {
                if (arg instanceof BindMsg message && message.getUid().equals("forbidden")) {
                    throw new PitayaException("GAME-FORBIDDEN", "not for " + message.getUid());
                }
                return arg;
            }

            @Override
            public Object afterRemote(String route, Object answer, PitayaException error) {
                REMOTE_CALLS.add(route + " " + (error == null ? "ok" : error.code()));
                return answer;
            }
        };
    }

    /** Throws an Error for a payload asking for it: past the handler, where the invoker does not catch it. */
    @org.springframework.context.annotation.Bean
    io.pitaya.spring.dispatch.HandlerInterceptor crashingInterceptor() {
        return new io.pitaya.spring.dispatch.HandlerInterceptor() {
            @Override
            public Object beforeHandler(Session session, String route, Object payload) {
                if (payload instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("crash"))) {
                    throw new AssertionError("interceptor crashed");
                }
                return payload;
            }
        };
    }

    @PitayaComponent("room")
    public static class Room {

        private final Pitaya pitaya;

        public Room(Pitaya pitaya) {
            this.pitaya = pitaya;
            pitaya.groups().create("room");
        }

        public Map<String, Object> whoami(Session session) {
            return Map.of("server", pitaya.serverId(), "session", session.id(), "uid", String.valueOf(session.uid()),
                    "data", session.data());
        }

        public String entry(Session session, Map<String, Object> body) {
            session.bind((String) body.get("uid"));
            return session.uid();
        }

        public Map<String, Object> echo(Map<String, Object> body) {
            return body;
        }

        public void tell(Session session, Map<String, Object> body) {
            session.push("onTold", body);
        }

        public Map<String, Object> setData(Session session, Map<String, Object> data) {
            data.forEach(session::set);
            session.pushToFront();
            return session.data();
        }

        public void kickMeFor(Session session, Map<String, Object> body) {
            session.kick((String) body.get("code"), (String) body.get("reason"));
        }

        public void kickMe(Session session) {
            session.kick();
        }

        public String fail() {
            throw new PitayaException("ROOM-7", "room says no", Map.of("room", "1"));
        }

        public Map<String, Object> slow(Map<String, Object> body) throws InterruptedException {
            Thread.sleep(((Number) body.get("ms")).longValue());
            return Map.of("server", pitaya.serverId());
        }

        public List<String> join(Session session) {
            pitaya.groups().add("room", session.uid());
            return pitaya.groups().broadcast("connector", "room", "onJoin", Map.of("uid", session.uid()));
        }

        /** Calls a remote with this call's context and one key more, as pitaya's AddToPropagateCtx. */
        public Map<String, Object> relayContext(Map<String, Object> body) {
            BindMsg answer = pitaya.rpc(io.pitaya.spring.PitayaContext.current().with("hop", "relay"), "room.roomRemote.context",
                    BindMsg.getDefaultInstance(), BindMsg.class);
            return Map.of("seen", answer.getUid(), "detail", answer.getFid());
        }

        public Map<String, Object> callOther(Map<String, Object> body) {
            BindMsg answer = pitaya.rpcTo((String) body.get("server"), "room.roomRemote.stamp",
                    BindMsg.newBuilder().setUid("from-" + pitaya.serverId()).build(), BindMsg.class);
            return Map.of("uid", answer.getUid(), "fid", answer.getFid());
        }
    }

    @PitayaRemote
    public static class RoomRemote {

        private final Pitaya pitaya;

        public RoomRemote(Pitaya pitaya) {
            this.pitaya = pitaya;
        }

        public BindMsg stamp(BindMsg message) {
            return BindMsg.newBuilder().setUid(message.getUid() + "!").setFid(pitaya.serverId()).build();
        }

        /** Answers what of its caller's context it sees: uid = the keys player and hop, fid = deadline and caller type. */
        public BindMsg context(BindMsg message) {
            io.pitaya.spring.PitayaContext context = io.pitaya.spring.PitayaContext.current();
            return BindMsg.newBuilder().setUid(context.get("player") + "/" + context.get("hop"))
                    .setFid(context.remaining().map(left -> left.toMillis() <= 1000 ? "deadline" : "far").orElse("none")
                            + "/" + context.get("peer.service"))
                    .build();
        }

        public BindMsg sleep(BindMsg message) throws InterruptedException {
            Thread.sleep(1000);
            return message;
        }

        public BindMsg fail(BindMsg message) {
            throw new PitayaException("REMOTE-1", "remote says no", Map.of("uid", message.getUid()));
        }
    }
}
