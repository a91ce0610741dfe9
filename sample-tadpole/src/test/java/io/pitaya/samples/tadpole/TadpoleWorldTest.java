package io.pitaya.samples.tadpole;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.test.PitayaTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** nano's tadpole routes and message shapes, with clients over TCP that {@link PitayaTest} connects. */
@PitayaTest
class TadpoleWorldTest {

    /** Logs in and enters the world; what it is pushed lands in {@code seen}. */
    static Object enter(PitayaClient tadpole, BlockingQueue<String> seen) throws Exception {
        tadpole.onPush("update", Map.class, u -> seen.add("update " + u.get("id") + " " + u.get("x") + " " + u.get("name")));
        tadpole.onPush("message", Map.class, m -> seen.add("message " + m.get("id") + " " + m.get("message")));
        tadpole.onPush("leave", Map.class, l -> seen.add("leave " + l.get("id")));
        Map<?, ?> login = tadpole.request("Manager.Login", Map.of("username", "u", "cipher", "c", "timestamp", 1), Map.class)
                .get(5, TimeUnit.SECONDS);
        assertThat(login.get("status")).isEqualTo(1);
        Map<?, ?> entered = tadpole.request("World.Enter", Map.of(), Map.class).get(5, TimeUnit.SECONDS);
        assertThat(entered.get("id")).isEqualTo(login.get("id"));
        return entered.get("id");
    }

    @Test
    void updatesAndMessagesReachEveryoneWithTheSendersOwnIdAndLeavingIsAnnounced(PitayaClient a, PitayaClient b) throws Exception {
        BlockingQueue<String> aSees = new LinkedBlockingQueue<>();
        BlockingQueue<String> bSees = new LinkedBlockingQueue<>();
        Object aId = enter(a, aSees);
        enter(b, bSees);

        // The id a client writes is not trusted: the push carries its session's.
        a.notify("World.Update", Map.of("id", 999, "x", 12.5, "y", 3, "name", "GUEST-a", "momentum", 1, "angle", 0.5));
        assertThat(bSees.poll(5, TimeUnit.SECONDS)).isEqualTo("update " + aId + " 12.5 GUEST-a");
        assertThat(aSees.poll(5, TimeUnit.SECONDS)).as("the sender too, as in nano").isEqualTo("update " + aId + " 12.5 GUEST-a");

        a.notify("World.Message", Map.of("message", "x".repeat(500)));
        assertThat(bSees.poll(5, TimeUnit.SECONDS)).isEqualTo("message " + aId + " " + "x".repeat(World.MAX_MESSAGE));

        a.close();
        assertThat(bSees.poll(5, TimeUnit.SECONDS)).isEqualTo("leave " + aId);
    }
}
