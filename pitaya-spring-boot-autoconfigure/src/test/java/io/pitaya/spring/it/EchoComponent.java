package io.pitaya.spring.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.pitaya.PitayaException;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.component.ComponentLifecycle;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.component.PitayaMethod;
import io.pitaya.spring.session.Session;

/** Handlers covering every signature and outcome. */
@PitayaComponent("echo")
public class EchoComponent implements ComponentLifecycle {

    public record Message(String text, int n) {
    }

    public record Reply(String text, int n, long session) {
    }

    private final Pitaya pitaya;
    private final Events events;
    private final Map<Long, Integer> lastSeq = new ConcurrentHashMap<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    public EchoComponent(Pitaya pitaya, Events events) {
        this.pitaya = pitaya;
        this.events = events;
    }

    @Override
    public void init() {
        events.add("init");
    }

    @Override
    public void afterInit() {
        events.add("afterInit");
    }

    @Override
    public void beforeShutdown() {
        events.add("beforeShutdown");
    }

    @Override
    public void shutdown() {
        events.add("shutdown");
    }

    public Reply echo(Session session, Message message) {
        return new Reply(message.text(), message.n(), session.id());
    }

    public Map<String, Object> map(Map<String, Object> body) {
        return body;
    }

    public io.pitaya.protocol.proto.PitayaProto.KickAnswer proto(Session session, io.pitaya.protocol.proto.PitayaProto.KickMsg message) {
        if (message.getUserId().equals("refuse")) {
            throw new PitayaException("GAME-PB", "refused " + message.getUserId(), Map.of("format", "protobuf"));
        }
        return io.pitaya.protocol.proto.PitayaProto.KickAnswer.newBuilder().setKicked(message.getUserId().equals("kick")).build();
    }

    public byte[] raw(byte[] body) {
        return body;
    }

    public String address(Session session) {
        return session.remoteAddress();
    }

    public String noArgs() {
        return "no args";
    }

    public void tell(Session session, Message message) {
        session.push("onTold", message);
    }

    public CompletableFuture<Reply> later(Session session, Message message) {
        events.add("later:" + message.text());
        return CompletableFuture.supplyAsync(() -> new Reply(message.text(), message.n(), session.id()),
                CompletableFuture.delayedExecutor(message.n() * 100L, TimeUnit.MILLISECONDS));
    }

    /** An asynchronous handler that never answers: the handler timeout must answer for it. */
    public CompletableFuture<String> never() {
        return new CompletableFuture<>();
    }

    public String fail(Message message) {
        throw new PitayaException("GAME-42", "no " + message.text(), Map.of("reason", "test"));
    }

    public String boom() {
        throw new IllegalStateException("kaboom");
    }

    public String nothing() {
        return null;
    }

    @PitayaMethod("renamed")
    public String customName() {
        return "renamed";
    }

    /** Answers whether the numbers of one session arrive strictly increasing by one. */
    public Map<String, Object> seq(Session session, Message message) {
        Integer previous = lastSeq.put(session.id(), message.n());
        boolean inOrder = previous == null ? message.n() == 0 : message.n() == previous + 1;
        return Map.of("n", message.n(), "inOrder", inOrder);
    }

    /** Blocks its session until {@link #release()}: other sessions must keep running. */
    public String block() throws InterruptedException {
        gate = new CountDownLatch(1);
        if (!gate.await(60, TimeUnit.SECONDS)) {
            throw new PitayaException("GAME-408", "never released");
        }
        return "released";
    }

    public void release() {
        gate.countDown();
    }

    public String bind(Session session, Message message) {
        session.bind(message.text());
        session.onClose(() -> events.add("callback:" + message.text()));
        return session.uid();
    }

    public void kickMeFor(Session session, Message message) {
        session.kick("GAME-AFK", message.text());
    }

    public void kickMe(Session session) {
        session.kick();
    }

    public Map<String, Object> data(Session session, Map<String, Object> values) {
        values.forEach(session::set);
        return session.data();
    }

    public Map<String, Object> handshake(Session session) {
        return session.handshake().user();
    }

    public List<String> pushTo(Map<String, Object> body) {
        @SuppressWarnings("unchecked")
        List<String> uids = (List<String>) body.get("uids");
        return pitaya.pushToUsers("onPushed", Map.of("from", "server"), uids);
    }

    /** Pushes 200 messages of {@code n} random bytes to the caller (compression cannot shrink them), for slow-reader tests. */
    public String flood(Session session, Message message) {
        byte[] chunk = new byte[message.n()];
        new java.util.Random(message.n()).nextBytes(chunk);
        for (int i = 0; i < 200 && !session.isClosed(); i++) {
            session.push("onFlood", chunk);
        }
        return "flooded";
    }

    public String join(Session session, Message message) {
        if (!pitaya.groups().exists(message.text())) {
            pitaya.groups().create(message.text());
        }
        pitaya.groups().add(message.text(), session.uid());
        return "joined";
    }

    public List<String> members(Message message) {
        return pitaya.groups().members(message.text());
    }

    public List<String> broadcast(Message message) {
        return pitaya.groups().broadcast(message.text(), "onBroadcast", message);
    }

    /** Broadcasts the message to the group named before the ':' in its text. */
    public List<String> shout(Message message) {
        return pitaya.groups().broadcast(message.text().substring(0, message.text().indexOf(':')), "onBroadcast", message);
    }
}
