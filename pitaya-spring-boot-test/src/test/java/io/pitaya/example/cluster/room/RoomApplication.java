package io.pitaya.example.cluster.room;

import java.util.Map;

import io.pitaya.spring.Pitaya;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.session.Session;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The backend of the test cluster: a room whose {@code join} answers with the server that ran it and pushes a welcome. */
@SpringBootApplication
public class RoomApplication {

    @PitayaComponent("room")
    public static class Room {

        private final Pitaya pitaya;

        public Room(Pitaya pitaya) {
            this.pitaya = pitaya;
        }

        public Map<String, Object> join(Session session, Map<String, Object> request) {
            session.push("onWelcome", Map.of("uid", session.uid()));
            return Map.of("server", pitaya.serverId(), "uid", session.uid());
        }
    }
}
