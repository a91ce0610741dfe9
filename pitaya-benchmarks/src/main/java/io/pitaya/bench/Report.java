package io.pitaya.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints the table of one run of {@code run.sh}: for each scenario the framework's figure, the
 * baseline's, their ratio, the target of issue 5 and whether it is met. Reads the JSON result files
 * the tools wrote into one directory ({@code s1-framework.json}, {@code s1-raw.json}, …); a missing
 * file shows as {@code n/a}.
 *
 * <pre>
 * java io.pitaya.bench.Report results/
 * </pre>
 */
public final class Report {

    private final Path dir;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String[]> details = new ArrayList<>();

    private Report(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] argv) throws IOException {
        if (argv.length != 1) {
            throw new IllegalArgumentException("usage: Report <results directory>");
        }
        System.out.print(new Report(Path.of(argv[0])).render());
    }

    private String render() throws IOException {
        Map<String, Object> s1f = load("s1-framework");
        Map<String, Object> s1r = load("s1-raw");
        throughputRow("1 echo 64 B, TCP, 256×1", s1f, s1r, 0.60);
        latencyRow("1 echo 64 B, TCP, 256×1", "p50 latency (ms)", s1f, s1r, "latencyMs", "p50", 0);
        latencyRow("1 echo 64 B, TCP, 256×1", "p99 latency (ms)", s1f, s1r, "latencyMs", "p99", 2.0);

        Map<String, Object> s2f = combined("s2-framework");
        Map<String, Object> s2n = combined("s2-framework-netty");
        Map<String, Object> s2r = combined("s2-raw");
        String s2 = "2 echo 64 B, WebSocket, 256×1, Spring WebSocket (default)" + roundsNote(s2r);
        throughputRow(s2, s2f, s2r, 0.85);
        latencyRow(s2, "p50 latency (ms)", s2f, s2r, "latencyMs", "p50", 0);
        latencyRow(s2, "p99 latency (ms)", s2f, s2r, "latencyMs", "p99", 0);
        latencyRow(s2, "max latency (ms)", s2f, s2r, "latencyMs", "max", 0);
        cpuRow(s2, "server CPU per echo (µs)", s2f, s2r, 0);
        String s2netty = "2 the same, pitaya's Netty WebSocket acceptor (server=netty)" + roundsNote(s2r);
        throughputRow(s2netty, s2n, s2r, 0.85);
        latencyRow(s2netty, "p50 latency (ms)", s2n, s2r, "latencyMs", "p50", 0);
        latencyRow(s2netty, "p99 latency (ms)", s2n, s2r, "latencyMs", "p99", 0);
        latencyRow(s2netty, "max latency (ms)", s2n, s2r, "latencyMs", "max", 0);
        cpuRow(s2netty, "server CPU per echo (µs)", s2n, s2r, 0);

        Map<String, Object> s3f = load("s3-framework");
        Map<String, Object> s3k = load("s3-kafka");
        Map<String, Object> s3r = load("s3-raw-forward");
        String s3 = "3 forwarded over Kafka, 64 clients, closed loop; baseline: the same hops without the framework";
        Double s3throughput = number(s3f, "throughput");
        row(s3, "throughput (req/s)", integer(s3throughput), integer(number(s3r, "throughput")),
                ratio(s3throughput, number(s3r, "throughput"), true), "≥ 10,000/s",
                s3throughput == null ? "n/a" : s3throughput >= 10_000 ? "met" : "missed");
        latencyRow(s3, "p50 latency (ms)", s3f, s3r, "latencyMs", "p50", 0);
        latencyRow(s3, "p99 latency (ms)", s3f, s3r, "latencyMs", "p99", 0);
        Map<String, Object> s3fo = combined("s3-framework-open");
        Map<String, Object> s3ro = combined("s3-raw-forward-open");
        Double rate = first(number(s3fo, "rate"), number(s3ro, "rate"));
        String s3open = "3 forwarded, open loop" + (rate == null ? "" : " at " + integer(rate) + " req/s") + "; baseline: the same hops without the framework"
                + roundsNote(s3ro);
        latencyRow(s3open, "p50 latency (ms)", s3fo, s3ro, "latencyMs", "p50", 1.2);
        latencyRow(s3open, "p99 latency (ms)", s3fo, s3ro, "latencyMs", "p99", 1.5);
        cpuRow(s3open, "server CPU per request (µs; frontend + backend JVM, broker apart)", s3fo, s3ro, 1.15);
        Map<String, Object> s3kd = load("s3-kafka-defaults");
        String s3kafka = "3 Kafka ping-pong, 64 in flight: the framework's client settings vs Kafka's defaults";
        row(s3kafka, "throughput (req/s)", integer(number(s3k, "throughput")), integer(number(s3kd, "throughput")),
                ratio(number(s3k, "throughput"), number(s3kd, "throughput"), true), "–", "");
        latencyRow(s3kafka, "p50 latency (ms)", s3k, s3kd, "latencyMs", "p50", 0);
        latencyRow(s3kafka, "p99 latency (ms)", s3k, s3kd, "latencyMs", "p99", 0);
        latencyRow("3 forwarded vs the ping-pong (framework settings)", "p50 latency (ms)", s3f, s3k, "latencyMs", "p50", 0);

        Map<String, Object> s4f = load("s4-framework");
        Map<String, Object> s4r = load("s4-raw");
        Double members = first(number(s4f, "members"), number(s4r, "members"));
        String s4 = members == null ? "4 broadcast to a group" : "4 broadcast to " + integer(members) + " members";
        latencyRow(s4, "last member p50 (ms)", s4f, s4r, "lastMemberMs", "p50", 0);
        Double s4p99 = number(s4f, "lastMemberMs", "p99");
        row(s4, "last member p99 (ms)", decimal(s4p99), decimal(number(s4r, "lastMemberMs", "p99")),
                ratio(s4p99, number(s4r, "lastMemberMs", "p99"), false), "≤ 100 ms",
                s4p99 == null ? "n/a" : s4p99 <= 100 ? "met" : "missed");
        Map<String, Object> s4cz = load("s4-cluster-zookeeper");
        Map<String, Object> s4cm = load("s4-cluster-memory");
        String s4cluster = "4 in a cluster: members over 2 frontends, group in ZooKeeper (a message per frontend); baseline: one server";
        latencyRow(s4cluster, "last member p50 (ms)", s4cz, s4f, "lastMemberMs", "p50", 0);
        latencyRow(s4cluster, "last member p99 (ms)", s4cz, s4f, "lastMemberMs", "p99", 0);
        String s4perMember = "4 in a cluster: group in the backend's memory (a push per member); baseline: group in ZooKeeper";
        latencyRow(s4perMember, "last member p50 (ms)", s4cm, s4cz, "lastMemberMs", "p50", 0);
        latencyRow(s4perMember, "last member p99 (ms)", s4cm, s4cz, "lastMemberMs", "p99", 0);

        Map<String, Object> s5f = load("s5-framework");
        Map<String, Object> s5r = load("s5-raw");
        Double held = number(s5f, "stillOpen");
        String heldStatus = held == null ? "n/a" : held >= 20_000 ? "met"
                : held.equals(number(s5f, "requested")) ? "fewer asked (fd limit)" : "missed";
        row("5 idle sessions (TCP, heartbeats)", "sessions held idle", held(s5f), held(s5r), "", "20,000", heldStatus);
        Double heap = number(s5f, "heapPerSessionKiB");
        row("5 idle sessions (TCP, heartbeats)", "live heap per session (KiB)", decimal(heap), decimal(number(s5r, "heapPerSessionKiB")),
                ratio(heap, number(s5r, "heapPerSessionKiB"), false), "≤ 16 KiB", heap == null ? "n/a" : heap <= 16 ? "met" : "missed");
        row("5 idle sessions (TCP, heartbeats)", "RSS per session (KiB)", decimal(number(s5f, "rssPerSessionKiB")),
                decimal(number(s5r, "rssPerSessionKiB")), ratio(number(s5f, "rssPerSessionKiB"), number(s5r, "rssPerSessionKiB"), false),
                "–", "");

        Map<String, Object> s6f = load("s6-framework");
        Map<String, Object> s6r = load("s6-raw");
        Double runs = first(sizeOf(s6f, "runs"), sizeOf(s6r, "runs"));
        row("6 start-up to first accepted connection", runs == null ? "median (ms)" : "median of " + integer(runs) + " runs (ms)", integer(number(s6f, "medianMs")),
                integer(number(s6r, "medianMs")), ratio(number(s6f, "medianMs"), number(s6r, "medianMs"), false), "–", "");

        Map<String, Object> s7f = load("s7-framework");
        Map<String, Object> s7d = load("s7-framework-deflate");
        Map<String, Object> s7r = load("s7-raw");
        Double chatters = first(number(s7f, "clients"), number(s7r, "clients"));
        Double each = first(number(s7f, "messagesEach"), number(s7r, "messagesEach"));
        String s7 = chatters == null ? "7 chat burst, browser-like WebSocket" : "7 chat burst, " + integer(chatters)
                + " browser-like WebSocket clients x " + integer(each) + " msgs";
        row(s7, "time to deliver every push (s)", decimal(number(s7f, "seconds")), decimal(number(s7r, "seconds")),
                ratio(number(s7f, "seconds"), number(s7r, "seconds"), false), "–", "");
        row(s7, "server CPU (s)", decimal(number(s7f, "serverCpuSeconds")), decimal(number(s7r, "serverCpuSeconds")),
                ratio(number(s7f, "serverCpuSeconds"), number(s7r, "serverCpuSeconds"), false), "–", "");
        Map<String, Object> s7n = load("s7-framework-netty");
        row(s7, "Netty WebSocket acceptor: time (s)", decimal(number(s7n, "seconds")), decimal(number(s7r, "seconds")),
                ratio(number(s7n, "seconds"), number(s7r, "seconds"), false), "–", "");
        row(s7, "Netty WebSocket acceptor: server CPU (s)", decimal(number(s7n, "serverCpuSeconds")),
                decimal(number(s7r, "serverCpuSeconds")), ratio(number(s7n, "serverCpuSeconds"), number(s7r, "serverCpuSeconds"), false),
                "–", "");
        row(s7, "pushes delivered / expected", integer(number(s7f, "receivedPushes")) + " / " + integer(number(s7f, "expectedPushes")),
                integer(number(s7r, "receivedPushes")) + " / " + integer(number(s7r, "expectedPushes")), "", "–", "");
        row(s7, "with permessage-deflate on: time (s)", decimal(number(s7d, "seconds")), decimal(number(s7r, "seconds")),
                ratio(number(s7d, "seconds"), number(s7r, "seconds"), false), "–", "");
        row(s7, "with permessage-deflate on: server CPU (s)", decimal(number(s7d, "serverCpuSeconds")),
                decimal(number(s7r, "serverCpuSeconds")), ratio(number(s7d, "serverCpuSeconds"), number(s7r, "serverCpuSeconds"), false),
                "–", "");

        tadpoleRows();

        StringBuilder out = new StringBuilder();
        out.append("Framework = pitaya on the starter: bench server (1, 2, 4, 5, 7), sample-tadpole (8), frontend forwarding to a backend over Kafka (3), "
                + "sample-chat (6).\nBaseline = raw Netty server on the same wire format; for 3, a raw Netty server relaying through plain Kafka "
                + "(the same hops), and a plain Kafka ping-pong.\n");
        out.append("Ratio: throughput framework/baseline; latency, memory and time framework÷baseline.\n\n");
        table(out, new String[] {"scenario", "metric", "framework", "baseline", "ratio", "target", "status"}, rows);
        out.append('\n');
        table(out, new String[] {"run", "throughput/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors"}, details);
        return out.toString();
    }

    /** Scenario 8: one row group per number of tadpoles run, then the largest number that kept p99 within 100 ms. */
    private void tadpoleRows() throws IOException {
        java.util.TreeSet<Integer> counts = new java.util.TreeSet<>();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("s8-(framework|raw)-\\d+\\.json"))
                    .forEach(name -> counts.add(Integer.parseInt(name.replaceAll("\\D", "").substring(1))));
        }
        Integer bestFramework = null;
        Integer bestRaw = null;
        for (int n : counts) {
            Map<String, Object> f = load("s8-framework-" + n);
            Map<String, Object> r = load("s8-raw-" + n);
            String scenario = "8 tadpoles, " + n + " bots at 10 Hz (" + integer(n * (n - 1) * 10.0) + " pushes/s asked)";
            Double p99 = number(f, "delayMs", "p99");
            Double rawP99 = number(r, "delayMs", "p99");
            row(scenario, "update delay p99 (ms)", decimal(p99), decimal(rawP99), ratio(p99, rawP99, false), "≤ 100 ms",
                    p99 == null ? "n/a" : p99 <= 100 && Double.valueOf(0).equals(number(f, "missingPushes")) ? "met" : "missed");
            row(scenario, "pushes delivered/s, missing", integer(number(f, "pushesPerSecond")) + ", " + integer(number(f, "missingPushes")),
                    integer(number(r, "pushesPerSecond")) + ", " + integer(number(r, "missingPushes")), "", "–", "");
            row(scenario, "server CPU (% of one core)", integer(number(f, "serverCpuPercent")), integer(number(r, "serverCpuPercent")),
                    ratio(number(f, "serverCpuPercent"), number(r, "serverCpuPercent"), false), "–", "");
            if (p99 != null && p99 <= 100 && Double.valueOf(0).equals(number(f, "missingPushes"))) {
                bestFramework = n;
            }
            if (rawP99 != null && rawP99 <= 100 && Double.valueOf(0).equals(number(r, "missingPushes"))) {
                bestRaw = n;
            }
        }
        if (!counts.isEmpty()) {
            row("8 tadpoles at 10 Hz", "most bots run with p99 ≤ 100 ms and nothing missing", String.valueOf(bestFramework),
                    String.valueOf(bestRaw), bestFramework == null || bestRaw == null ? "" : ratio((double) bestFramework, (double) bestRaw, true),
                    "–", "");
        }
    }

    private Map<String, Object> load(String name) throws IOException {
        Path file = dir.resolve(name + ".json");
        if (!Files.exists(file)) {
            return null;
        }
        Map<String, Object> result = Results.read(file);
        Object latency = result.containsKey("latencyMs") ? result.get("latencyMs")
                : result.containsKey("delayMs") ? result.get("delayMs") : result.get("lastMemberMs");
        if (latency instanceof Map<?, ?> l) {
            Object errors = result.containsKey("errors") ? result.get("errors")
                    : result.containsKey("missingPushes") ? "missing pushes: " + result.get("missingPushes")
                    : "incomplete rounds: " + result.get("incompleteRounds");
            if (errors instanceof Map<?, ?> map && map.values().stream().allMatch(v -> v instanceof Number n && n.longValue() == 0)) {
                errors = "none";
            }
            details.add(new String[] {name, integer(number(result, "throughput")),
                    decimal(asDouble(l.get("p50"))), decimal(asDouble(l.get("p90"))), decimal(asDouble(l.get("p99"))),
                    decimal(asDouble(l.get("p999"))), decimal(asDouble(l.get("max"))), String.valueOf(errors)});
        }
        return result;
    }

    /**
     * The result of one measurement, or of one run in interleaved rounds ({@code label-r1}, {@code label-r2}, …) combined:
     * the throughput their mean (so that a ratio of two is the ratio of all requests served in equal time), every other
     * figure the median of the rounds'. Each round still gets its line in the table of runs.
     */
    private Map<String, Object> combined(String label) throws IOException {
        List<Map<String, Object>> rounds = new ArrayList<>();
        for (int round = 1; ; round++) {
            Map<String, Object> result = load(label + "-r" + round);
            if (result == null) {
                break;
            }
            rounds.add(result);
        }
        if (rounds.isEmpty()) {
            return load(label);
        }
        Map<String, Object> combined = new java.util.LinkedHashMap<>(rounds.get(0));
        combined.put("rounds", rounds.size());
        combined.put("throughput", mean(rounds, "throughput"));
        combined.put("serverCpuMicrosPerRequest", median(rounds, "serverCpuMicrosPerRequest"));
        Map<String, Object> latency = new java.util.LinkedHashMap<>();
        for (String key : List.of("p50", "p90", "p99", "p999", "max")) {
            latency.put(key, median(rounds, "latencyMs", key));
        }
        combined.put("latencyMs", latency);
        return combined;
    }

    private static Double mean(List<Map<String, Object>> rounds, String... path) {
        List<Double> values = rounds.stream().map(result -> number(result, path)).filter(java.util.Objects::nonNull).toList();
        return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static Double median(List<Map<String, Object>> rounds, String... path) {
        List<Double> values = rounds.stream().map(result -> number(result, path)).filter(java.util.Objects::nonNull).sorted().toList();
        if (values.isEmpty()) {
            return null;
        }
        int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }

    private static String roundsNote(Map<String, Object> result) {
        Double rounds = number(result, "rounds");
        return rounds == null || rounds < 2 ? "" : ", " + integer(rounds) + " interleaved rounds (throughput: mean, latency and CPU: median)";
    }

    private void cpuRow(String scenario, String metric, Map<String, Object> framework, Map<String, Object> baseline, double maxRatio) {
        Double f = number(framework, "serverCpuMicrosPerRequest");
        Double b = number(baseline, "serverCpuMicrosPerRequest");
        if (f == null && b == null && maxRatio <= 0) {
            return;
        }
        String target = maxRatio > 0 ? "≤ " + decimal(maxRatio) + "×" : "–";
        String status = maxRatio <= 0 ? "" : f == null || b == null ? "n/a" : f / b <= maxRatio ? "met" : "missed";
        row(scenario, metric, decimal(f), decimal(b), ratio(f, b, false), target, status);
    }

    private void throughputRow(String scenario, Map<String, Object> framework, Map<String, Object> baseline, double target) {
        Double f = number(framework, "throughput");
        Double b = number(baseline, "throughput");
        String status = f == null || b == null ? "n/a" : f / b >= target ? "met" : "missed";
        row(scenario, "throughput (req/s)", integer(f), integer(b), ratio(f, b, true), "≥ " + Math.round(target * 100) + "%", status);
    }

    private void latencyRow(String scenario, String metric, Map<String, Object> framework, Map<String, Object> baseline,
                            String group, String key, double maxRatio) {
        Double f = number(framework, group, key);
        Double b = number(baseline, group, key);
        String target = maxRatio > 0 ? "≤ " + decimal(maxRatio) + "×" : "–";
        String status = maxRatio <= 0 ? "" : f == null || b == null ? "n/a" : f / b <= maxRatio ? "met" : "missed";
        row(scenario, metric, decimal(f), decimal(b), ratio(f, b, false), target, status);
    }

    private void row(String... cells) {
        rows.add(cells);
    }

    private static void table(StringBuilder out, String[] header, List<String[]> body) {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (String[] row : body) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        line(out, header, widths);
        StringBuilder rule = new StringBuilder("|");
        for (int width : widths) {
            rule.append('-').append("-".repeat(width)).append("-|");
        }
        out.append(rule).append('\n');
        body.forEach(row -> line(out, row, widths));
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        out.append('|');
        for (int i = 0; i < cells.length; i++) {
            out.append(' ').append(cells[i]).append(" ".repeat(widths[i] - cells[i].length())).append(" |");
        }
        out.append('\n');
    }

    private static Double number(Map<String, Object> result, String... path) {
        Object value = result;
        for (String key : path) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(key);
        }
        return asDouble(value);
    }

    private static String held(Map<String, Object> idle) {
        return idle == null ? "n/a" : integer(number(idle, "stillOpen")) + " of " + integer(number(idle, "requested"));
    }

    private static Double first(Double a, Double b) {
        return a != null ? a : b;
    }

    private static Double sizeOf(Map<String, Object> result, String key) {
        return result != null && result.get(key) instanceof List<?> list ? Double.valueOf(list.size()) : null;
    }

    private static Double asDouble(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    private static String ratio(Double framework, Double baseline, boolean percent) {
        if (framework == null || baseline == null || baseline == 0) {
            return "n/a";
        }
        double r = framework / baseline;
        return percent ? Math.round(r * 100) + "%" : String.format("%.2f×", r);
    }

    private static String integer(Double value) {
        return value == null ? "n/a" : String.format("%,d", Math.round(value));
    }

    private static String decimal(Double value) {
        if (value == null) {
            return "n/a";
        }
        double v = value;
        return Math.abs(v) >= 100 ? String.format("%.0f", v) : Math.abs(v) >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    }

    private static String decimal(double value) {
        return decimal(Double.valueOf(value));
    }
}
