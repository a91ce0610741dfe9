package io.pitaya.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.pitaya.PitayaException;
import io.pitaya.client.ClientClosedException;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Latency summaries, error names and the JSON result files the report reads. */
public final class Results {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Results() {
    }

    /**
     * @param ns a histogram of nanoseconds
     * @return p50, p90, p99, p99.9, max and mean in milliseconds
     */
    public static Map<String, Object> latencyMillis(Histogram ns) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", ns.getTotalCount());
        out.put("p50", millis(ns.getValueAtPercentile(50)));
        out.put("p90", millis(ns.getValueAtPercentile(90)));
        out.put("p99", millis(ns.getValueAtPercentile(99)));
        out.put("p999", millis(ns.getValueAtPercentile(99.9)));
        out.put("max", millis(ns.getMaxValue()));
        out.put("mean", Math.round(ns.getMean() / 1e3) / 1e3);
        return out;
    }

    /**
     * @param ns a histogram of nanoseconds
     * @return one line: {@code p50 0.412  p90 …  max …} in milliseconds
     */
    public static String latencyLine(Histogram ns) {
        if (ns.getTotalCount() == 0) {
            return "no samples";
        }
        return String.format("p50 %s  p90 %s  p99 %s  p99.9 %s  max %s ms",
                fmt(ns.getValueAtPercentile(50)), fmt(ns.getValueAtPercentile(90)), fmt(ns.getValueAtPercentile(99)),
                fmt(ns.getValueAtPercentile(99.9)), fmt(ns.getMaxValue()));
    }

    /** The longest latency the histograms hold: one minute, in nanoseconds. */
    public static final long MAX_NANOS = 60_000_000_000L;
    /** Significant digits the histograms keep. */
    public static final int DIGITS = 3;

    /** @return a new histogram for nanosecond latencies up to {@link #MAX_NANOS}, {@link #DIGITS} significant digits */
    public static Histogram histogram() {
        return new Histogram(MAX_NANOS, DIGITS);
    }

    /**
     * @param error why a request failed
     * @return a short name to count it under: the pitaya code, {@code timeout}, {@code closed} or the class name
     */
    public static String errorName(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof PitayaException pitaya) {
            return pitaya.code();
        }
        if (cause instanceof TimeoutException) {
            return "timeout";
        }
        if (cause instanceof ClientClosedException) {
            return "closed";
        }
        return cause.getClass().getSimpleName();
    }

    /**
     * @param error why a request failed
     * @return true when the server answered with an error or the request timed out (the connection still works)
     */
    public static boolean isAnswerOrTimeout(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof PitayaException || cause instanceof TimeoutException;
    }

    /**
     * Writes a result as indented JSON, when a file was asked for.
     * @param file the file, or {@code null}
     * @param result the result
     * @throws IOException when the file cannot be written
     */
    public static void write(String file, Map<String, Object> result) throws IOException {
        if (file == null) {
            return;
        }
        Path path = Path.of(file);
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Files.writeString(path, JSON.writeValueAsString(result) + "\n");
    }

    /**
     * @param file a result file
     * @return its content as maps and lists
     * @throws IOException when the file cannot be read
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file) throws IOException {
        return JSON.readValue(Files.readString(file), Map.class);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static double millis(long ns) {
        return Math.round(ns / 1e3) / 1e3;
    }

    private static String fmt(long ns) {
        double ms = ns / 1e6;
        return ms >= 100 ? String.format("%.0f", ms) : ms >= 10 ? String.format("%.1f", ms) : String.format("%.3f", ms);
    }
}
