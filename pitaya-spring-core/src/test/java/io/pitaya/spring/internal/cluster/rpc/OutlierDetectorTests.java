package io.pitaya.spring.internal.cluster.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pitaya.spring.cluster.ServerInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutlierDetectorTests {

    private final ServerInfo a = new ServerInfo("a", "room", false, "h", Map.of());
    private final ServerInfo b = new ServerInfo("b", "room", false, "h", Map.of());

    @Test
    void aServerIsEjectedAfterTheConsecutiveTimeoutsOnly() {
        OutlierDetector outliers = new OutlierDetector(3, Duration.ofMinutes(1));
        outliers.timedOut(a);
        outliers.timedOut(a);
        outliers.answered(a);
        outliers.timedOut(a);
        outliers.timedOut(a);
        assertThat(outliers.isEjected("a")).as("an answer in between starts the count again").isFalse();
        outliers.timedOut(a);
        assertThat(outliers.isEjected("a")).isTrue();
        assertThat(outliers.available(List.of(a, b))).containsExactly(b);
    }

    @Test
    void whenEveryServerIsEjectedAllAreTried() {
        OutlierDetector outliers = new OutlierDetector(1, Duration.ofMinutes(1));
        outliers.timedOut(a);
        outliers.timedOut(b);
        assertThat(outliers.available(List.of(a, b))).containsExactly(a, b);
    }

    @Test
    void afterTheEjectionAProbeThatTimesOutEjectsAgainAndOneThatAnswersBringsItBack() throws InterruptedException {
        OutlierDetector outliers = new OutlierDetector(2, Duration.ofMillis(50));
        outliers.timedOut(a);
        outliers.timedOut(a);
        assertThat(outliers.isEjected("a")).isTrue();
        Thread.sleep(80);
        assertThat(outliers.isEjected("a")).as("tried again after the ejection time").isFalse();
        assertThat(outliers.available(List.of(a, b))).as("routing alone does not start a probe").containsExactly(a, b);
        outliers.calling(a);
        assertThat(outliers.isEjected("a")).as("by one call at a time: the probe").isTrue();
        assertThat(outliers.available(List.of(a, b))).containsExactly(b);
        outliers.timedOut(a);
        assertThat(outliers.isEjected("a")).as("the probe timed out: out again at once").isTrue();
        Thread.sleep(80);
        assertThat(outliers.isEjected("a")).as("the next probe").isFalse();
        outliers.calling(a);
        outliers.answered(a);
        assertThat(outliers.isEjected("a")).isFalse();
        outliers.timedOut(a);
        assertThat(outliers.isEjected("a")).as("answered: the count starts again").isFalse();
    }

    @Test
    void aProbeWhoseCallNeverEndsDoesNotKeepTheServerOutForever() throws InterruptedException {
        OutlierDetector outliers = new OutlierDetector(1, Duration.ofMillis(50));
        outliers.timedOut(a);
        Thread.sleep(80);
        outliers.calling(a);
        assertThat(outliers.isEjected("a")).as("a probe whose call is lost").isTrue();
        Thread.sleep(80);
        assertThat(outliers.isEjected("a")).as("another probe after an ejection time").isFalse();
    }

    @Test
    void aServerThatAnsweredNothingDuringATimedOutCallIsEjectedAtOnce() {
        OutlierDetector outliers = new OutlierDetector(3, Duration.ofSeconds(10));
        outliers.answered(a);
        outliers.answered(b);
        long sent = System.nanoTime();
        outliers.answered(b);

        outliers.timedOut(b, sent);
        assertThat(outliers.isEjected("b")).as("b answered while the call waited: one slow call").isFalse();
        outliers.timedOut(a, sent);
        assertThat(outliers.isEjected("a")).as("a went silent for the whole call").isTrue();
    }

    @Test
    void withAProberNoCallerIsTheProbe() throws InterruptedException {
        OutlierDetector outliers = new OutlierDetector(1, Duration.ofMillis(50));
        List<ServerInfo> probed = new java.util.concurrent.CopyOnWriteArrayList<>();
        outliers.probeWith(probed::add);
        outliers.timedOut(a);
        Thread.sleep(80);

        assertThat(outliers.isEjected("a")).as("still out while the probe runs").isTrue();
        assertThat(outliers.available(List.of(a, b))).containsExactly(b);
        assertThat(probed).as("one probe").containsExactly(a);

        outliers.answered(a);
        assertThat(outliers.isEjected("a")).as("the probe was answered").isFalse();
    }
}
