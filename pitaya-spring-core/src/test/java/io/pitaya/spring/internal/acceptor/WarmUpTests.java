package io.pitaya.spring.internal.acceptor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpTests {

    @Test
    void runsOnADaemonThreadOfItsOwnAndReturnsAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Thread thread = WarmUp.inBackground("test", () -> {
            ranOn.set(Thread.currentThread());
            await(release);
        });
        // Returned while the work still waits: the caller (bean creation) never waits for a warm-up.
        assertThat(thread).isNotNull();
        assertThat(thread.isAlive()).isTrue();
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getName()).isEqualTo("pitaya-warm-up-test");
        release.countDown();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(ranOn.get()).isSameAs(thread);
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void aFailingWarmUpEndsQuietly() throws Exception {
        AtomicBoolean uncaught = new AtomicBoolean();
        Thread thread = WarmUp.inBackground("failing", () -> {
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.set(true));
            throw new LinkageError("a class the warm-up wanted is broken");
        });
        assertThat(thread).isNotNull();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(thread.isAlive()).isFalse();
        assertThat(uncaught).isFalse();
    }

    @Test
    void offWithSpringBootsBackgroundPreinitializerSwitch() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        System.setProperty(WarmUp.IGNORE_PROPERTY, "true");
        try {
            assertThat(WarmUp.inBackground("ignored", () -> ran.set(true))).isNull();
        } finally {
            System.clearProperty(WarmUp.IGNORE_PROPERTY);
        }
        Thread.sleep(50);
        assertThat(ran).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
