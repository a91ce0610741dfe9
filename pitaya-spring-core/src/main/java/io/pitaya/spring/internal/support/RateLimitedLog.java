package io.pitaya.spring.internal.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;

/**
 * Logs an event kind once per interval, with counts: the first event of a quiet kind is written at once;
 * the ones that follow within the interval are counted, and one line at the end of the interval says how
 * many there were and shows the latest. A storm of timeouts or refused sends thus writes a line per kind
 * every interval, not one per event.
 */
public final class RateLimitedLog {

    /** The interval of the cluster's logs of failed calls. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private static final class Summaries {
        static final ScheduledExecutorService SCHEDULER = DaemonScheduler.create("pitaya-log-summaries");
    }

    private static final class Kind {
        long windowStart;
        boolean quiet = true;
        long suppressed;
        String latest;
        boolean summaryScheduled;
    }

    /** How a line is written: the level of the kind. */
    public enum Level { INFO, WARN }

    private final Log log;
    private final long intervalNanos;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    /**
     * @param log where lines go
     * @param interval the shortest time between two lines of one kind
     */
    public RateLimitedLog(Log log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * @param kind the event's kind (e.g. "timeout:room-2"); counted apart from other kinds
     * @param message what happened this time
     */
    public void warn(String kind, String message) {
        event(kind, message, Level.WARN);
    }

    /**
     * @param kind the event's kind
     * @param message what happened this time
     */
    public void info(String kind, String message) {
        event(kind, message, Level.INFO);
    }

    private void event(String name, String message, Level level) {
        if (!enabled(level)) {
            return;
        }
        Kind kind = kinds.computeIfAbsent(name, k -> new Kind());
        long now = System.nanoTime();
        synchronized (kind) {
            if (kind.quiet || (kind.suppressed == 0 && now - kind.windowStart >= intervalNanos)) {
                kind.quiet = false;
                kind.windowStart = now;
            } else {
                kind.suppressed++;
                kind.latest = message;
                if (!kind.summaryScheduled) {
                    kind.summaryScheduled = true;
                    long delay = Math.max(0, kind.windowStart + intervalNanos - now);
                    Summaries.SCHEDULER.schedule(() -> summarize(kind, level), delay, TimeUnit.NANOSECONDS);
                }
                return;
            }
        }
        write(level, message);
    }

    private void summarize(Kind kind, Level level) {
        long count;
        String latest;
        synchronized (kind) {
            count = kind.suppressed;
            latest = kind.latest;
            kind.suppressed = 0;
            kind.latest = null;
            kind.summaryScheduled = false;
            kind.windowStart = System.nanoTime();
        }
        if (count > 0) {
            long millis = TimeUnit.NANOSECONDS.toMillis(intervalNanos);
            String interval = millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
            write(level, count + " more in the last " + interval + ", the latest: " + latest);
        }
    }

    private boolean enabled(Level level) {
        return level == Level.WARN ? log.isWarnEnabled() : log.isInfoEnabled();
    }

    private void write(Level level, String message) {
        if (level == Level.WARN) {
            log.warn(message);
        } else {
            log.info(message);
        }
    }
}
