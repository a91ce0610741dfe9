package io.pitaya.spring.internal.cluster.kafka;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SendGateTests {

    @Test
    void callersWaitForATurnWhileSendsReturn() throws InterruptedException {
        SendGate gate = new SendGate(1, 500);
        SendGate.Turn first = gate.acquire(TimeUnit.SECONDS.toNanos(1));
        assertThat(first).isEqualTo(SendGate.Turn.SEND);
        Thread releaser = new Thread(() -> {
            sleep(100);
            gate.release(first, false);
        });
        releaser.start();
        SendGate.Turn second = gate.acquire(TimeUnit.SECONDS.toNanos(2));
        assertThat(second).as("the turn comes when the send returns").isNotNull();
        gate.release(second, false);
        releaser.join();
    }

    @Test
    void onceASendHasNotReturnedForTheStuckTimeOthersGiveUpAtOnce() throws InterruptedException {
        SendGate gate = new SendGate(2, 100);
        SendGate.Turn blocked = gate.acquire(TimeUnit.SECONDS.toNanos(1)); // blocked on a dead broker, say
        assertThat(blocked).isNotNull();
        Thread.sleep(150);
        assertThat(gate.stuck()).isTrue();
        long start = System.nanoTime();
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(5))).as("a free permit, but Kafka takes no sends").isNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
        gate.release(blocked, false);
        assertThat(gate.stuck()).as("the send returned").isFalse();
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).isNotNull();
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
        SendGate.Turn first = gate.acquire(TimeUnit.SECONDS.toNanos(1));
        assertThat(first).isEqualTo(SendGate.Turn.SEND);
        gate.release(first, true); // no metadata within max.block.ms

        SendGate.Turn probe = gate.acquire(TimeUnit.SECONDS.toNanos(1));
        assertThat(probe).as("the probe").isEqualTo(SendGate.Turn.PROBE);
        Thread other = new Thread(() -> assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).as("refused while the probe sends").isNull());
        other.start();
        other.join();
        gate.release(probe, true);

        SendGate.Turn next = gate.acquire(TimeUnit.SECONDS.toNanos(1));
        assertThat(next).as("the next probe").isEqualTo(SendGate.Turn.PROBE);
        gate.release(next, false); // Kafka is back
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).isEqualTo(SendGate.Turn.SEND);
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).as("everyone again").isEqualTo(SendGate.Turn.SEND);
    }

    @Test
    void aProbeMayBeReleasedByAnotherThreadThanTheOneThatTookIt() throws InterruptedException {
        SendGate gate = new SendGate(8, 500);
        gate.release(gate.acquire(TimeUnit.SECONDS.toNanos(1)), true);
        SendGate.Turn probe = gate.acquire(TimeUnit.SECONDS.toNanos(1));
        assertThat(probe).isEqualTo(SendGate.Turn.PROBE);
        Thread sender = new Thread(() -> gate.release(probe, true)); // the send was handed to another thread
        sender.start();
        sender.join();
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).as("the next probe may go").isEqualTo(SendGate.Turn.PROBE);
    }

    @Test
    void aTurnGivenBackUnusedKeepsWhatIsKnownOfKafka() {
        SendGate gate = new SendGate(8, 500);
        gate.release(gate.acquire(TimeUnit.SECONDS.toNanos(1)), true);
        gate.giveBack(gate.acquire(TimeUnit.SECONDS.toNanos(1)));
        assertThat(gate.down()).isTrue();
        assertThat(gate.acquire(TimeUnit.SECONDS.toNanos(1))).as("still probing one at a time").isEqualTo(SendGate.Turn.PROBE);
    }
}
