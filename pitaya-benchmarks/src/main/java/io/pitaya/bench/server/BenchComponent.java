package io.pitaya.bench.server;

import java.nio.charset.StandardCharsets;

import io.pitaya.spring.Pitaya;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.session.Session;

/**
 * Scenario 4: {@code bench.join} binds the session to the uid in the body and adds it to one group;
 * {@code bench.broadcast} pushes its body to the whole group on {@code onBroadcast} and answers with
 * the same body.
 */
@PitayaComponent("bench")
public class BenchComponent {

    static final String GROUP = "bench";

    private final Pitaya pitaya;

    public BenchComponent(Pitaya pitaya) {
        this.pitaya = pitaya;
        pitaya.groups().create(GROUP);
    }

    public byte[] join(Session session, byte[] uid) {
        String name = new String(uid, StandardCharsets.UTF_8);
        session.bind(name);
        pitaya.groups().add(GROUP, name);
        session.onClose(() -> pitaya.groups().remove(GROUP, name));
        return uid;
    }

    public byte[] broadcast(byte[] body) {
        pitaya.groups().broadcast(GROUP, "onBroadcast", body);
        return body;
    }
}
