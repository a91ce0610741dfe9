package io.pitaya.bench.abuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.EventLoopGroup;
import io.pitaya.bench.Args;
import io.pitaya.bench.Clients;
import io.pitaya.bench.Results;
import tools.jackson.databind.json.JsonMapper;

/**
 * The abuse tool: runs attacks on a pitaya server one after another while well-behaved bystanders
 * chat in the room, and reports for each what it cost the server (live heap and RSS before, peak
 * during, after; new failures in its log) and the bystanders (request p99, broadcast delay p99,
 * longest heartbeat gap, disconnections), and how long the server took to close the offenders.
 *
 * <p>Between attacks it waits for the server's heap to settle and reconnects the bystanders that were
 * disconnected. Every attack is bounded in connections, bytes and time, and only loopback is a valid
 * target. Written against sample-chat ({@code room.join}, {@code room.message}, push {@code onMessage});
 * {@code pitaya-benchmarks/abuse.sh} builds it, starts the server and runs this.
 *
 * <pre>
 * java -Xmx1g io.pitaya.bench.abuse.AbuseTool --tcp-port 3250 --ws-port 3251 --server-pid 1234 \
 *      --server-log chat.log --attacks big-handshake,random-frames --quick --json abuse.jsonl
 * </pre>
 */
public final class AbuseTool {

    private static final long MIB = 1 << 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Endpoints endpoints;
    private final ServerProbe probe;
    private final Duration settle;
    private final Duration minWindow;
    private final String label;
    private final Path json;

    private AbuseTool(Endpoints endpoints, ServerProbe probe, Duration settle, Duration minWindow, String label, Path json) {
        this.endpoints = endpoints;
        this.probe = probe;
        this.settle = settle;
        this.minWindow = minWindow;
        this.label = label;
        this.json = json;
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, "quick");
        boolean quick = args.flag("quick");
        Endpoints endpoints = new Endpoints(args.string("host", "127.0.0.1"), args.integer("tcp-port", 3250),
                args.integer("ws-port", 3251), args.string("path", "/pitaya"));
        long serverPid = Long.parseLong(args.string("server-pid", "0"));
        String serverLog = args.string("server-log", null);
        String attackList = args.string("attacks", "all");
        int bystanderCount = args.integer("bystanders", 20);
        Duration messageInterval = args.duration("message-interval", Duration.ofMillis(100));
        Duration requestInterval = args.duration("request-interval", Duration.ofSeconds(1));
        Duration requestTimeout = args.duration("request-timeout", Duration.ofSeconds(5));
        String requestRoute = args.string("request-route", "room.join");
        String messageRoute = args.string("message-route", "room.message");
        String pushRoute = args.string("push-route", "onMessage");
        Attacks.Settings settings = new Attacks.Settings(
                args.integer("half-open", quick ? 100 : 500),
                args.integer("half-open-length", 0x100000),
                args.duration("half-open-window", Duration.ofSeconds(quick ? 15 : 20)),
                args.integer("big-handshakes", quick ? 16 : 64),
                args.integer("big-handshake-keys", 80_000),
                args.integer("flooders", 10),
                args.duration("slow-duration", Duration.ofSeconds(quick ? 10 : 30)),
                args.integer("slow-rcvbuf", 4096),
                args.decimal("tcp-flood-rate", 500),
                args.integer("tcp-flood-payload", 4096),
                args.decimal("ws-flood-rate", 200),
                args.integer("ws-flood-payload", 1024),
                args.integer("bomb-sessions", quick ? 2 : 4),
                args.integer("bomb-notifies", quick ? 100 : 1000),
                args.integer("bomb-size", 1 << 20),
                args.duration("bomb-window", Duration.ofSeconds(quick ? 15 : 30)),
                args.integer("fuzz-connections", quick ? 500 : 5000),
                args.integer("fuzz-concurrency", 32),
                args.duration("fuzz-wait", Duration.ofMillis(200)),
                args.integer("seed", 1),
                args.duration("connect-timeout", Duration.ofSeconds(10)),
                requestRoute, messageRoute);
        Duration settle = args.duration("settle", Duration.ofSeconds(quick ? 15 : 30));
        Duration minWindow = args.duration("min-window", Duration.ofSeconds(5));
        int threads = args.integer("threads", 0);
        String label = args.string("label", "abuse");
        String json = args.string("json", null);
        args.requireAllUsed();

        List<String> attacks = attackList.equals("all") ? Attacks.NAMES : Arrays.stream(attackList.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String name : attacks) {
            if (!Attacks.NAMES.contains(name)) {
                throw new IllegalArgumentException("no attack '" + name + "'; attacks: " + String.join(",", Attacks.NAMES));
            }
        }
        if (serverPid <= 0) {
            System.out.println("note: no --server-pid, so the server's memory is not measured");
        }
        try (ServerProbe probe = new ServerProbe(serverPid, serverLog == null ? null : Path.of(serverLog))) {
            AbuseTool tool = new AbuseTool(endpoints, probe, settle, minWindow, label, json == null ? null : Path.of(json));
            EventLoopGroup group = Clients.group(threads);
            try (Bystanders bystanders = new Bystanders(endpoints, group, bystanderCount,
                    List.of(requestRoute, messageRoute, pushRoute), requestTimeout)) {
                int connected = bystanders.start(messageInterval, requestInterval);
                System.out.printf("%s: %d of %d bystanders in the room (tcp://%s:%d, ws://%s:%d%s), server pid %s%n%n", label,
                        connected, bystanderCount, endpoints.host(), endpoints.tcpPort(), endpoints.host(), endpoints.wsPort(),
                        endpoints.wsPath(), serverPid > 0 ? serverPid : "unknown");
                if (connected == 0) {
                    throw new IllegalStateException("no bystander could join the room at " + endpoints);
                }
                tool.runAll(new Attacks(endpoints, settings, group, bystanders), bystanders, attacks);
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    private void runAll(Attacks attacks, Bystanders bystanders, List<String> names) throws IOException, InterruptedException {
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            System.out.printf("== [%d/%d] %s: %s%n", i + 1, names.size(), name, attacks.describe(name));
            Map<String, Object> result = probe.alive() ? runOne(attacks, bystanders, name)
                    : skipped(name, "the server process is gone");
            results.add(result);
            append(result);
            System.out.println();
        }
        summary(results);
    }

    private Map<String, Object> skipped(String name, String why) {
        System.out.println("  skipped: " + why);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "abuse");
        result.put("label", label);
        result.put("attack", name);
        result.put("skipped", why);
        return result;
    }

    private Map<String, Object> runOne(Attacks attacks, Bystanders bystanders, String name) throws InterruptedException {
        int reconnected = bystanders.reconnectLost();
        long heapBefore = settle();
        long rssBefore = probe.rssBytes();
        long logStart = probe.logSize();
        bystanders.startWindow();
        Sampler sampler = new Sampler(heapBefore, rssBefore);
        sampler.start();
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        Attacks.Outcome outcome;
        String failure = null;
        try {
            outcome = attacks.named(name).run();
        } catch (Exception e) {
            outcome = new Attacks.Outcome();
            failure = e.toString();
            outcome.line("attack      failed: %s", failure);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // A quick attack is still watched for a while: its cost may show only after it ended.
        long watchUntil = start + minWindow.toNanos();
        while (System.nanoTime() < watchUntil) {
            Thread.sleep(Math.max(1, (watchUntil - System.nanoTime()) / 1_000_000));
        }
        sampler.finish();
        Bystanders.Window seen = bystanders.endWindow();
        boolean alive = probe.alive();
        long heapAfter = probe.liveHeapBytes();
        long rssAfter = probe.rssBytes();
        ServerProbe.LogCounts log = probe.scanLog(logStart);

        outcome.lines.forEach(line -> System.out.println("  " + line));
        System.out.printf("  server      %s; live heap %s MiB before, %s peak (used, sampled), %s after; RSS %s / %s / %s MiB%n",
                alive ? "alive" : "GONE", mib(heapBefore), mib(sampler.heapPeak.get()), mib(heapAfter), mib(rssBefore),
                mib(sampler.rssPeak.get()), mib(rssAfter));
        System.out.printf("  bystanders  %d connected at the end, %d disconnected (%d reconnected before); request p99 %s "
                        + "(%,d, %d timeouts); broadcast delay p99 %s (%,d of %,d deliveries of %,d msgs); "
                        + "largest heartbeat gap %.2fs%n",
                seen.connected(), seen.disconnected(), reconnected, p99(seen.requestLatency()), seen.requests(),
                seen.requestTimeouts(), p99(seen.broadcastDelay()), seen.messagesReceived(), seen.deliveriesExpected(),
                seen.messagesSent(),
                seen.maxHeartbeatGapNanos() / 1e9);
        System.out.printf("  server log  %d new Exception/Error lines, %d OutOfMemoryError%s%n", log.failureLines(),
                log.outOfMemoryLines(), log.examples().isEmpty() ? "" : " " + log.examples());
        System.out.printf("  took        %.1fs (bystanders watched %.1fs)%n", seconds, (System.nanoTime() - start) / 1e9);

        Map<String, Object> server = new LinkedHashMap<>();
        server.put("alive", alive);
        server.put("heapSource", probe.heapSource());
        server.put("liveHeapBeforeMiB", mibValue(heapBefore));
        server.put("heapUsedPeakMiB", mibValue(sampler.heapPeak.get()));
        server.put("liveHeapAfterMiB", mibValue(heapAfter));
        server.put("rssBeforeMiB", mibValue(rssBefore));
        server.put("rssPeakMiB", mibValue(sampler.rssPeak.get()));
        server.put("rssAfterMiB", mibValue(rssAfter));
        server.put("newFailureLogLines", log.failureLines());
        server.put("newOutOfMemoryErrorLines", log.outOfMemoryLines());
        server.put("failureExamples", log.examples());

        Map<String, Object> by = new LinkedHashMap<>();
        by.put("connectedAtEnd", seen.connected());
        by.put("disconnected", seen.disconnected());
        by.put("reconnectedBefore", reconnected);
        by.put("requests", seen.requests());
        by.put("requestTimeouts", seen.requestTimeouts());
        by.put("requestP99Ms", p99Millis(seen.requestLatency()));
        by.put("requestMs", Results.latencyMillis(seen.requestLatency()));
        by.put("messagesSent", seen.messagesSent());
        by.put("deliveriesExpected", seen.deliveriesExpected());
        by.put("messagesReceived", seen.messagesReceived());
        by.put("broadcastDelayP99Ms", p99Millis(seen.broadcastDelay()));
        by.put("broadcastDelayMs", Results.latencyMillis(seen.broadcastDelay()));
        by.put("maxHeartbeatGapMs", Math.round(seen.maxHeartbeatGapNanos() / 1e6));
        by.put("bombPushes", seen.bombPushes());

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "abuse");
        result.put("label", label);
        result.put("attack", name);
        result.put("description", attacks.describe(name));
        result.put("target", endpoints.toString());
        result.put("startedAt", startedAt.toString());
        result.put("seconds", Math.round(seconds * 10) / 10.0);
        if (failure != null) {
            result.put("failure", failure);
        }
        result.put("offenders", outcome.json);
        result.put("server", server);
        result.put("bystanders", by);
        return result;
    }

    /**
     * Waits until the server's live heap stops moving (two readings after a full GC within 5% or
     * 2 MiB), at most {@link #settle}.
     * @return the last live heap reading, -1 when unknown
     */
    private long settle() throws InterruptedException {
        long deadline = System.nanoTime() + settle.toNanos();
        long previous = -1;
        long current = probe.liveHeapBytes();
        while (current >= 0 && System.nanoTime() < deadline) {
            if (previous >= 0 && Math.abs(current - previous) <= Math.max(2 * MIB, previous / 20)) {
                break;
            }
            Thread.sleep(2000);
            previous = current;
            current = probe.liveHeapBytes();
        }
        return current;
    }

    /** Samples the server's heap in use and RSS about once a second, without forcing a GC. */
    private final class Sampler extends Thread {
        final AtomicLong heapPeak = new AtomicLong(-1);
        final AtomicLong rssPeak = new AtomicLong(-1);
        private volatile boolean running = true;

        Sampler(long heapBefore, long rssBefore) {
            super("server-sampler");
            setDaemon(true);
            heapPeak.set(heapBefore);
            rssPeak.set(rssBefore);
        }

        @Override
        public void run() {
            while (running) {
                long t = System.nanoTime();
                heapPeak.accumulateAndGet(probe.heapUsedBytes(), Math::max);
                rssPeak.accumulateAndGet(probe.rssBytes(), Math::max);
                long sleep = 1000 - (System.nanoTime() - t) / 1_000_000;
                if (sleep > 0) {
                    try {
                        Thread.sleep(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        void finish() throws InterruptedException {
            running = false;
            interrupt();
            join(30_000);
            // One last sample: the end of the attack may be its worst moment.
            heapPeak.accumulateAndGet(probe.heapUsedBytes(), Math::max);
            rssPeak.accumulateAndGet(probe.rssBytes(), Math::max);
        }
    }

    private void summary(List<Map<String, Object>> results) {
        System.out.println("summary (heap and RSS in MiB, p99 and heartbeat gap in ms; closed: offenders closed by the server/still open):");
        System.out.printf("  %-24s %7s %7s %7s %7s %9s %8s %8s %7s %5s %6s %4s%n", "attack", "heap0", "heapPk", "rssPk",
                "heap1", "closed", "req p99", "bc p99", "hb gap", "disc", "errors", "OOM");
        for (Map<String, Object> r : results) {
            if (r.containsKey("skipped")) {
                System.out.printf("  %-24s skipped: %s%n", r.get("attack"), r.get("skipped"));
                continue;
            }
            @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) r.get("server");
            @SuppressWarnings("unchecked") Map<String, Object> b = (Map<String, Object>) r.get("bystanders");
            @SuppressWarnings("unchecked") Map<String, Object> o = (Map<String, Object>) r.get("offenders");
            String closed = o.containsKey("closedByServer") ? o.get("closedByServer") + "/" + o.get("stillOpen")
                    : o.containsKey("accepted") ? "acc " + o.get("accepted") : "-";
            System.out.printf("  %-24s %7s %7s %7s %7s %9s %8s %8s %7s %5s %6s %4s%s%n", r.get("attack"),
                    cell(s.get("liveHeapBeforeMiB")), cell(s.get("heapUsedPeakMiB")), cell(s.get("rssPeakMiB")),
                    cell(s.get("liveHeapAfterMiB")), closed, cell(b.get("requestP99Ms")), cell(b.get("broadcastDelayP99Ms")),
                    cell(b.get("maxHeartbeatGapMs")), b.get("disconnected"), s.get("newFailureLogLines"),
                    s.get("newOutOfMemoryErrorLines"),
                    Boolean.TRUE.equals(s.get("alive")) ? "" : "  server GONE");
        }
    }

    private void append(Map<String, Object> result) throws IOException {
        if (json == null) {
            return;
        }
        if (json.getParent() != null) {
            Files.createDirectories(json.getParent());
        }
        Files.writeString(json, JSON.writeValueAsString(result) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String p99(org.HdrHistogram.Histogram ns) {
        return ns.getTotalCount() == 0 ? "-" : String.format("%.1f ms", ns.getValueAtPercentile(99) / 1e6);
    }

    private static Double p99Millis(org.HdrHistogram.Histogram ns) {
        return ns.getTotalCount() == 0 ? null : Math.round(ns.getValueAtPercentile(99) / 1e3) / 1e3;
    }

    private static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        return value instanceof Double d ? String.format("%.1f", d) : value.toString();
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.valueOf(bytes / MIB);
    }

    private static Long mibValue(long bytes) {
        return bytes < 0 ? null : bytes / MIB;
    }
}
