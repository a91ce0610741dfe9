package io.pitaya.spring;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PitayaContextTests {

    @Test
    void keysAreAddedWithoutChangingTheOriginalAndTheShorterDeadlineWins() {
        PitayaContext base = PitayaContext.empty().with("player", "p1");
        PitayaContext call = base.with("match", 7).withTimeout(Duration.ofSeconds(10)).withTimeout(Duration.ofMillis(200));

        assertThat(base.values()).containsExactly(Map.entry("player", "p1"));
        assertThat(base.remaining()).isEmpty();
        assertThat(call.values()).containsEntry("player", "p1").containsEntry("match", 7);
        assertThat(call.remaining()).hasValueSatisfying(left -> assertThat(left).isLessThanOrEqualTo(Duration.ofMillis(200)));
        assertThat(PitayaContext.empty().withTimeout(Duration.ZERO).expired()).isTrue();
    }

    @Test
    void metadataCarriesTheKeysThisHopsOwnAndTheTimeLeft() {
        PitayaContext context = PitayaContext.empty().with("player", "p1").with("req-route", "old.route").withTimeout(Duration.ofSeconds(1));

        Map<String, Object> metadata = context.toMetadata(Map.of("req-route", "room.remote.call", "peer.id", "room-1"));

        assertThat(metadata).containsEntry("player", "p1").containsEntry("req-route", "room.remote.call").containsEntry("peer.id", "room-1");
        assertThat(((Number) metadata.get(PitayaContext.REQ_TIMEOUT)).longValue()).isBetween(1L, 1000L);
        PitayaContext received = PitayaContext.fromMetadata(metadata, System.nanoTime());
        assertThat(received.values()).doesNotContainKey(PitayaContext.REQ_TIMEOUT).containsEntry("player", "p1");
        assertThat(received.remaining()).isPresent();
        assertThat(PitayaContext.fromMetadata(Map.of("peer.id", "x"), System.nanoTime()).remaining()).isEmpty();
    }

    @Test
    void aBoundContextIsCurrentOnlyInsideItsScopeAndIsComputedOnFirstUse() {
        int[] computed = {0};
        assertThat(PitayaContext.current().values()).isEmpty();
        try (PitayaContext.Scope scope = PitayaContext.bind(() -> {
            computed[0]++;
            return PitayaContext.empty().with("k", "v");
        })) {
            assertThat(computed[0]).isZero();
            assertThat(PitayaContext.current().get("k")).isEqualTo("v");
        }
        assertThat(PitayaContext.current().values()).isEmpty();
    }
}
