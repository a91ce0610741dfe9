package io.pitaya.spring.internal.metrics;

import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pitaya.spring.metrics.PitayaMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MicrometerPitayaMetricsTests {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final MicrometerPitayaMetrics metrics = new MicrometerPitayaMetrics(registry);

    Set<String> routeTags(String meter) {
        return registry.find(meter).meters().stream().map(m -> m.getId().getTag("route")).collect(Collectors.toSet());
    }

    @Test
    void ownRoutesAreTagsFromTheStartOthersOnceACallShowedTheyExist() {
        metrics.preRegister("room.room.join", PitayaMetrics.TYPE_HANDLER);
        assertThat(metrics.routeTag("room.room.join")).isEqualTo("room.room.join");
        assertThat(metrics.routeTag("chat.room.say")).as("not known yet").isEqualTo(MicrometerPitayaMetrics.UNKNOWN_ROUTE);

        metrics.handled("chat.room.say", PitayaMetrics.TYPE_HANDLER, 1_000, "GAME-1");
        metrics.handled("chat.room.nope", PitayaMetrics.TYPE_HANDLER, 1_000, "PIT-404");
        metrics.rpcCalled("chat.room.bad", 1_000, "PIT-400");
        metrics.rpcCalled("chat.room.slow", 1_000, "PIT-408");

        assertThat(metrics.routeTag("chat.room.say")).as("answered by a handler").isEqualTo("chat.room.say");
        assertThat(metrics.routeTag("chat.room.slow")).as("timed out: the route was not refused").isEqualTo("chat.room.slow");
        assertThat(routeTags("pitaya.handler.response.time")).containsExactlyInAnyOrder("room.room.join", "chat.room.say", "unknown");
        assertThat(routeTags("pitaya.rpc.client.latency")).containsExactlyInAnyOrder("chat.room.slow", "unknown");
    }

    @Test
    void learnedRoutesAreCappedSoRandomRoutesCannotGrowTheRegistryWithoutBound() {
        for (int i = 0; i < MicrometerPitayaMetrics.MAX_LEARNED_ROUTES + 500; i++) {
            metrics.handled("type" + i + ".a.b", PitayaMetrics.TYPE_HANDLER, 1_000, "PIT-500");
            metrics.delayed("type" + i + ".a.b", PitayaMetrics.DELAY_LOCAL, 1_000);
            metrics.dropped("type" + i + ".a.b");
        }

        for (String meter : Set.of("pitaya.handler.response.time", "pitaya.handler.delay", "pitaya.handler.dropped.messages")) {
            assertThat(routeTags(meter)).as(meter).hasSize(MicrometerPitayaMetrics.MAX_LEARNED_ROUTES + 1).contains("unknown");
        }
        assertThat(registry.getMeters().stream().map(Meter::getId).count()).isEqualTo(3L * (MicrometerPitayaMetrics.MAX_LEARNED_ROUTES + 1));
    }
}
