package io.pitaya.spring.clusterit.frontend;

import java.util.List;
import java.util.Map;

import io.pitaya.protocol.Route;
import io.pitaya.spring.cluster.Router;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.session.Session;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;

/** The frontend of the cluster tests: server type "connector". */
@SpringBootApplication
public class ConnectorApplication {

    /**
     * Sends a session to the backend named in its data ("shard"), else to any. Off with {@code test.shard-router=false}:
     * the default router then routes, and the frontend forwards from its event loops.
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "test.shard-router", matchIfMissing = true)
    Router shardRouter() {
        return new Router() {
            @Override
            public String serverType() {
                return "room";
            }

            @Override
            public ServerInfo route(Session session, Route route, byte[] payload, List<ServerInfo> servers) {
                Object shard = session.get("shard");
                return servers.stream().filter(s -> s.id().equals(shard)).findFirst()
                        .orElse(servers.get((int) (Math.random() * servers.size())));
            }
        };
    }

    /** Refuses uids of banned players, as a game checks a ban list before a bind (pitaya's OnSessionBind). */
    @Bean
    io.pitaya.spring.session.SessionListener banList() {
        return new io.pitaya.spring.session.SessionListener() {
            @Override
            public void beforeBind(Session session, String uid) {
                if (uid.startsWith("banned-")) {
                    throw new io.pitaya.PitayaException("GAME-BANNED", "uid " + uid + " is banned");
                }
            }
        };
    }

    /** A value whose serialization fails. */
    public static class Unserializable {
        public String getValue() {
            throw new IllegalStateException("this value cannot be serialized");
        }
    }

    @PitayaComponent("connector")
    public static class Connector {

        public Map<String, Object> getSessionData(Session session) {
            return session.data();
        }

        public Map<String, Object> setSessionData(Session session, Map<String, Object> data) {
            data.forEach(session::set);
            return session.data();
        }

        /** Puts into the session data a value that cannot travel with a forwarded request. */
        public String poisonSessionData(Session session) {
            session.set("unserializable", new Unserializable());
            return "poisoned";
        }

        public String uid(Session session) {
            return String.valueOf(session.uid());
        }
    }

    /** Submits a reliable RPC job for a client: {"id", "route", "arg"}; answers the job id once Kafka has it. */
    @PitayaComponent("jobs")
    public static class Jobs {

        private final io.pitaya.spring.Pitaya pitaya;

        public Jobs(io.pitaya.spring.Pitaya pitaya) {
            this.pitaya = pitaya;
        }

        public java.util.concurrent.CompletableFuture<String> submit(Map<String, Object> job) {
            return pitaya.reliableRpc((String) job.get("id"), (String) job.get("route"), job.get("arg"));
        }
    }
}
