package io.pitaya.spring.cluster.kafka;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SendGateTests {

    @Test
    void callersWaitForATurnWhileSendsReturn() throws InterruptedException {
        SendGate gate = new SendGate(1, 500);
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).isTrue();
        Thread releaser = new Thread(() -> {
            sleep(100);
            gate.release();
        });
        releaser.start();
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(2))).as("the turn comes when the send returns").isTrue();
        gate.release();
        releaser.join();
    }

    @Test
    void onceASendHasNotReturnedForTheStuckTimeOthersGiveUpAtOnce() throws InterruptedException {
        SendGate gate = new SendGate(2, 100);
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).isTrue(); // blocked on a dead broker, say
        Thread.sleep(150);
        assertThat(gate.stuck()).isTrue();
        long start = System.nanoTime();
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(5))).as("a free permit, but Kafka takes no sends").isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
        gate.release();
        assertThat(gate.stuck()).as("the send returned").isFalse();
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void afterASendFoundNoBrokerOneProbeAtATimeSendsAndTheOthersAreRefusedAtOnce() throws InterruptedException {
        SendGate gate = new SendGate(8, 500);
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).isTrue();
        gate.release(true); // no metadata within max.block.ms

        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).as("the probe").isTrue();
        Thread other = new Thread(() -> assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).as("refused while the probe sends").isFalse());
        other.start();
        other.join();
        gate.release(true);

        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).as("the next probe").isTrue();
        gate.release(false); // Kafka is back
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).isTrue();
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).as("everyone again").isTrue();
    }
}
