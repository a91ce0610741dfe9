package io.pitaya.bench.cluster.backend;

import java.nio.charset.StandardCharsets;

import io.pitaya.spring.Pitaya;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.session.Session;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The backend of scenario 3 (server type {@code room}, route {@code room.echo.echo}) and of scenario 4's cluster
 * side ({@code room.bench.join}, {@code room.bench.broadcast}).
 */
@SpringBootApplication
public class BackendApplication {

    /** Answers with the request body, untouched. */
    @PitayaComponent("echo")
    public static class Echo {

        public byte[] echo(byte[] body) {
            return body;
        }
    }

    /**
     * Scenario 4 in a cluster: {@code join} binds the client's session (on its frontend) to the uid in the body and adds it
     * to one group; {@code broadcast} pushes its body to the whole group on {@code onBroadcast}, wherever the members are.
     */
    @PitayaComponent("bench")
    public static class Bench {

        static final String GROUP = "bench";

        private final Pitaya pitaya;

        public Bench(Pitaya pitaya) {
            this.pitaya = pitaya;
        }

        public byte[] join(Session session, byte[] uid) {
            String name = new String(uid, StandardCharsets.UTF_8);
            session.bind(name);
            pitaya.groups().create(GROUP);
            pitaya.groups().add(GROUP, name);
            return uid;
        }

        public byte[] broadcast(byte[] body) {
            pitaya.groups().broadcast(GROUP, "onBroadcast", body);
            return body;
        }
    }
}
