package io.pitaya.spring.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.it.EchoComponent.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.pitaya.spring.it.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Timers in a session's order and in a group's order (io.pitaya.spring.timer.Timers). */
@StandaloneGameServerTest
class TimersTests extends ServerTestSupport {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSessionsTimerNeverRunsBesideItsHandlersAndEndsWithTheSession(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);
        List<Object> ticks = new CopyOnWriteArrayList<>();
        client.onPush("onTick", Map.class, tick -> ticks.add(tick.get("n")));

        assertThat(await(client.request("timers.tick", new Message("", 20), String.class))).isEqualTo("ticking");
        await().atMost(Duration.ofSeconds(5)).until(() -> ticks.size() >= 3);
        // A handler of the same session that takes 300 ms: 15 ticks fall due meanwhile, none may run.
        assertThat(await(client.request("timers.busy", new Message("", 300), String.class))).isEqualTo("done");
        int afterBusy = ticks.size();
        await().atMost(Duration.ofSeconds(5)).until(() -> ticks.size() >= afterBusy + 3);

        assertThat(TimerComponent.OVERLAPS).isEmpty();
        long sessionId = await(client.request("echo.echo", new Message("who", 0), EchoComponent.Reply.class)).session();
        client.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(io.pitaya.spring.Pitaya.class).session(sessionId) == null);
        Thread.sleep(100);
        int atClose = ticks.size();
        Thread.sleep(200);
        assertThat(ticks).as("the timer ended with the session").hasSize(atClose);
    }

    @Test
    void aCountedTimerRunsItsCountOfTimes() throws Exception {
        PitayaClient client = server.connect(Transport.TCP);
        List<Object> counts = new CopyOnWriteArrayList<>();
        client.onPush("onCount", Map.class, count -> counts.add(count.get("n")));

        await(client.request("timers.countdown", null, String.class));

        await().atMost(Duration.ofSeconds(5)).until(() -> counts.size() == 3);
        Thread.sleep(200);
        assertThat(counts).containsExactly(1, 2, 3);
    }

    @Test
    void aGroupsTimersRunOneAtATimeAndEndWhenTheGroupIsDeleted() throws Exception {
        PitayaClient client = server.connect(Transport.TCP);
        await(client.request("timers.groupTicks", new Message("raid-1", 0), String.class));

        await().atMost(Duration.ofSeconds(5)).until(() -> TimerComponent.GROUP_RUNS.get("raid-1").get() >= 20);
        await(client.request("timers.deleteGroup", new Message("raid-1", 0), String.class));
        TimeUnit.MILLISECONDS.sleep(100);
        int atDelete = TimerComponent.GROUP_RUNS.get("raid-1").get();
        TimeUnit.MILLISECONDS.sleep(200);

        assertThat(TimerComponent.GROUP_RUNS.get("raid-1").get()).as("the timers ended with the group").isEqualTo(atDelete);
        assertThat(TimerComponent.GROUP_OVERLAPS).isEmpty();
    }
}
