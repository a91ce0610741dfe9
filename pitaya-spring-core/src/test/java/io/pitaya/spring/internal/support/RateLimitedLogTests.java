package io.pitaya.spring.internal.support;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RateLimitedLogTests {

    /** Keeps what is written at WARN and INFO. */
    static final class Recorded {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Log log = (Log) Proxy.newProxyInstance(Log.class.getClassLoader(), new Class<?>[] {Log.class}, (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("is")) {
                return true;
            }
            if (name.equals("warn") || name.equals("info")) {
                lines.add(name.toUpperCase() + " " + args[0]);
            }
            return null;
        });
    }

    @Test
    void aStormIsOneLineThenOneCountPerIntervalAndEachKindIsApart() {
        Recorded log = new Recorded();
        RateLimitedLog limited = new RateLimitedLog(log.log, Duration.ofMillis(300));

        for (int i = 1; i <= 25; i++) {
            limited.warn("timeout:room-2", "call " + i + " to room-2 timed out");
        }
        limited.info("late", "a late reply");

        assertThat(log.lines).containsExactly("WARN call 1 to room-2 timed out", "INFO a late reply");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log.lines).hasSize(3));
        assertThat(log.lines.get(2)).isEqualTo("WARN 24 more in the last 300 ms, the latest: call 25 to room-2 timed out");
    }

    @Test
    void afterAQuietIntervalTheNextEventIsWrittenAtOnce() throws Exception {
        Recorded log = new Recorded();
        RateLimitedLog limited = new RateLimitedLog(log.log, Duration.ofMillis(100));

        limited.warn("k", "first");
        Thread.sleep(250);
        limited.warn("k", "second");

        assertThat(log.lines).containsExactly("WARN first", "WARN second");
    }
}
