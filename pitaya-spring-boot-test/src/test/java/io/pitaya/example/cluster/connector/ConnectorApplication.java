package io.pitaya.example.cluster.connector;

import java.util.Map;

import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.session.Session;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The frontend of the test cluster: answers {@code connector.entry.hello} itself, forwards {@code room.*}. */
@SpringBootApplication
public class ConnectorApplication {

    @PitayaComponent("entry")
    public static class Entry {

        public Map<String, Object> hello(Session session, Map<String, Object> player) {
            session.bind(String.valueOf(player.get("name")));
            return Map.of("server", "connector");
        }
    }
}
