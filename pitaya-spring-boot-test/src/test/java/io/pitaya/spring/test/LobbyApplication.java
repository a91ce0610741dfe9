package io.pitaya.spring.test;

import java.util.Map;

import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.session.Session;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small game for the test support's own tests: players join a lobby and say things to everyone in it. */
@SpringBootApplication
public class LobbyApplication {

    @PitayaComponent("lobby")
    public static class Lobby {

        private final GroupService groups;

        public Lobby(GroupService groups) {
            this.groups = groups;
            groups.create("lobby");
        }

        public Map<String, Object> join(Session session, Map<String, Object> player) {
            String name = (String) player.get("name");
            session.bind(name);
            groups.add("lobby", name);
            return Map.of("joined", name);
        }

        public void say(Session session, Map<String, Object> line) {
            groups.broadcast("lobby", "onSay", Map.of("from", session.uid(), "text", line.get("text")));
        }
    }
}
