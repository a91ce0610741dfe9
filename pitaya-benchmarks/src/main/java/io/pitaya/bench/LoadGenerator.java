package io.pitaya.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.netty.channel.EventLoopGroup;
import io.pitaya.client.PitayaClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load generator: N pitaya clients over TCP or WebSocket send Requests to one route and measure
 * the time to each Response.
 *
 * <ul>
 *   <li>closed loop ({@code --inflight K}, the default, K=1): each client keeps K requests in flight and
 *       sends the next one when a response arrives; latency is measured from the send;</li>
 *   <li>open loop ({@code --rate R}): R requests per second in total, spread over the clients, whatever
 *       the responses do; latency is measured from the time a request was due, so a server that falls
 *       behind shows it in the latency (no coordinated omission).</li>
 * </ul>
 *
 * A warm-up runs first and is not counted. Progress is printed every second; at the end throughput,
 * p50/p90/p99/p99.9/max, errors by code, and optionally a JSON result file.
 *
 * <pre>
 * java io.pitaya.bench.LoadGenerator --transport tcp --port 3250 --clients 256 --inflight 1 \
 *      --route echo.echo --payload 64 --warmup 10s --duration 20s --json result.json
 * </pre>
 */
public final class LoadGenerator {

    /**
     * What to run.
     *
     * @param target where to connect
     * @param clients how many connections
     * @param inflight requests in flight per client (closed loop)
     * @param rate requests per second in total (open loop); 0 for closed loop
     * @param route the request route
     * @param payloadSize request body size (a JSON object)
     * @param warmup time not counted
     * @param duration time measured
     * @param timeout request timeout
     * @param threads event loop threads of the shared group, 0 for one per core
     * @param verify check that each response body equals the request body (echo routes)
     * @param label a name for the result
     * @param quiet no progress lines
     * @param serverPids processes whose CPU time over the measured window is reported (per request too); empty for none
     */
    public record Config(Target target, int clients, int inflight, double rate, String route, int payloadSize,
                         Duration warmup, Duration duration, Duration timeout, int threads, boolean verify,
                         String label, boolean quiet, List<Long> serverPids) {

        public Config(Target target, int clients, int inflight, double rate, String route, int payloadSize,
                      Duration warmup, Duration duration, Duration timeout, int threads, boolean verify,
                      String label, boolean quiet) {
            this(target, clients, inflight, rate, route, payloadSize, warmup, duration, timeout, threads, verify, label, quiet, List.of());
        }
    }

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int DONE = 2;
    private static final long MAX_OUTSTANDING = 200_000;

    private final Config config;
    private final byte[] payload;
    private final Recorder recorder = new Recorder(Results.MAX_NANOS, Results.DIGITS);
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder warmupErrors = new LongAdder();
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private volatile int phase = WARMUP;

    private LoadGenerator(Config config) {
        this.config = config;
        this.payload = Payloads.json(config.payloadSize());
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, "no-verify", "quiet");
        Config config = new Config(Target.from(args), args.integer("clients", 256), args.integer("inflight", 1),
                args.decimal("rate", 0), args.string("route", "echo.echo"), args.integer("payload", 64),
                args.duration("warmup", Duration.ofSeconds(10)), args.duration("duration", Duration.ofSeconds(20)),
                args.duration("timeout", Duration.ofSeconds(5)), args.integer("threads", 0), !args.flag("no-verify"),
                args.string("label", "load"), args.flag("quiet"), pids(args.string("server-pid", "")));
        String json = args.string("json", null);
        args.requireAllUsed();
        Map<String, Object> result = run(config);
        Results.write(json, result);
    }

    private static List<Long> pids(String list) {
        return list.isBlank() ? List.of() : Arrays.stream(list.split(",")).map(String::trim).map(Long::valueOf).toList();
    }

    /** @return user + system CPU seconds of the server processes so far */
    private double serverCpuSeconds() {
        double seconds = 0;
        for (long pid : config.serverPids()) {
            try {
                seconds += ChatStorm.cpuSeconds(pid);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e.getMessage(), e);
            }
        }
        return seconds;
    }

    /**
     * Runs one load test and prints its summary.
     * @param config what to run
     * @return the result, as written to the JSON file
     * @throws InterruptedException when interrupted
     */
    public static Map<String, Object> run(Config config) throws InterruptedException {
        return new LoadGenerator(config).execute();
    }

    private Map<String, Object> execute() throws InterruptedException {
        EventLoopGroup group = Clients.group(config.threads());
        try {
            List<PitayaClient> clients = Clients.connect(config.target(), group, config.clients(), 256, config.timeout(), true,
                    client -> { });
            if (clients.isEmpty()) {
                throw new IllegalStateException("no client could connect to " + config.target());
            }
            clients.forEach(client -> {
                open.incrementAndGet();
                client.onClose(open::decrementAndGet);
            });
            Thread driver = null;
            if (config.rate() > 0) {
                driver = new Thread(() -> openLoop(clients), "open-loop");
                driver.setDaemon(true);
                driver.start();
            } else {
                for (PitayaClient client : clients) {
                    for (int k = 0; k < config.inflight(); k++) {
                        sendClosedLoop(client);
                    }
                }
            }
            Map<String, Object> result = measure(clients.size());
            if (driver != null) {
                driver.join(1000);
            }
            long drainUntil = System.nanoTime() + config.timeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
            while (outstanding.get() > 0 && System.nanoTime() < drainUntil) {
                Thread.sleep(10);
            }
            Clients.closeAll(clients);
            return result;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private Map<String, Object> measure(int connected) throws InterruptedException {
        Histogram total = Results.histogram();
        Histogram interval = null;
        long start = System.nanoTime();
        long warmupEnd = start + config.warmup().toNanos();
        long end = warmupEnd + config.duration().toNanos();
        long measureStart = warmupEnd;
        long nextTick = start + TimeUnit.SECONDS.toNanos(1);
        long lastTick = start;
        boolean measuring = config.warmup().isZero();
        double cpuAtStart = serverCpuSeconds();
        if (measuring) {
            phase = MEASURE;
            recorder.reset();
            measureStart = start;
        }
        while (true) {
            long now = System.nanoTime();
            long until = Math.min(nextTick, measuring ? end : warmupEnd);
            if (now < until) {
                TimeUnit.NANOSECONDS.sleep(until - now);
                continue;
            }
            boolean finished = measuring && now >= end;
            if (finished) {
                phase = DONE;
            }
            interval = recorder.getIntervalHistogram(interval);
            if (measuring) {
                total.add(interval);
            }
            progress(interval, now - lastTick, measuring ? now - measureStart : now - start, measuring);
            lastTick = now;
            if (finished) {
                return summary(total, now - measureStart, connected, serverCpuSeconds() - cpuAtStart);
            }
            if (!measuring && now >= warmupEnd) {
                measuring = true;
                cpuAtStart = serverCpuSeconds();
                measureStart = now;
                phase = MEASURE;
                nextTick = now + TimeUnit.SECONDS.toNanos(1);
            } else if (now >= nextTick) {
                nextTick += TimeUnit.SECONDS.toNanos(1);
            }
        }
    }

    private void sendClosedLoop(PitayaClient client) {
        if (phase == DONE || !client.isConnected()) {
            return;
        }
        long sent = System.nanoTime();
        outstanding.incrementAndGet();
        client.request(config.route(), payload).whenComplete((body, error) -> {
            outstanding.decrementAndGet();
            completed(sent, body, error);
            // Go on after answers and timeouts; stop this slot on local failures (closed connection…).
            if (error == null || Results.isAnswerOrTimeout(error)) {
                sendClosedLoop(client);
            }
        });
    }

    private void openLoop(List<PitayaClient> clients) {
        long period = Math.max(1, Math.round(1e9 / config.rate()));
        long next = System.nanoTime();
        int i = 0;
        while (phase != DONE) {
            long now = System.nanoTime();
            while (next <= now && phase != DONE) {
                long due = next;
                next += period;
                PitayaClient client = clients.get(i++ % clients.size());
                if (outstanding.get() >= MAX_OUTSTANDING || !client.isConnected()) {
                    countError(client.isConnected() ? "generator-backlog" : "closed");
                    continue;
                }
                outstanding.incrementAndGet();
                client.request(config.route(), payload).whenComplete((body, error) -> {
                    outstanding.decrementAndGet();
                    completed(due, body, error);
                });
            }
            LockSupport.parkNanos(Math.min(next - System.nanoTime(), 1_000_000));
        }
    }

    private void completed(long startNanos, byte[] body, Throwable error) {
        int current = phase;
        if (current == DONE) {
            return;
        }
        if (error != null) {
            countError(Results.errorName(error));
        } else if (config.verify() && !Arrays.equals(body, payload)) {
            countError("wrong-body");
        } else {
            recorder.recordValue(Math.min(System.nanoTime() - startNanos, Results.MAX_NANOS));
        }
    }

    private void countError(String name) {
        if (phase == MEASURE) {
            errors.computeIfAbsent(name, n -> new LongAdder()).increment();
        } else if (phase == WARMUP) {
            warmupErrors.increment();
        }
    }

    private void progress(Histogram interval, long elapsedNanos, long sincePhaseStart, boolean measuring) {
        if (config.quiet()) {
            return;
        }
        double seconds = Math.max(1e-9, elapsedNanos / 1e9);
        long errorCount = measuring ? errors.values().stream().mapToLong(LongAdder::sum).sum() : warmupErrors.sum();
        System.out.printf("[%s] %-7s %4ds  %,10.0f req/s  p50 %7.3f  p99 %8.3f ms  errors %d  open %d  outstanding %d%n",
                config.label(), measuring ? "measure" : "warm-up", Math.round(sincePhaseStart / 1e9),
                interval.getTotalCount() / seconds, interval.getValueAtPercentile(50) / 1e6,
                interval.getValueAtPercentile(99) / 1e6, errorCount, open.get(), outstanding.get());
    }

    private Map<String, Object> summary(Histogram total, long measuredNanos, int connected, double serverCpu) {
        double seconds = measuredNanos / 1e9;
        double throughput = total.getTotalCount() / seconds;
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((name, count) -> errorCounts.put(name, count.sum()));
        long errorTotal = errorCounts.values().stream().mapToLong(Long::longValue).sum();

        String mode = config.rate() > 0
                ? String.format("open loop %,.0f req/s", config.rate())
                : config.inflight() + " in flight each";
        System.out.printf("%n%s: %d clients (%d connected) over %s, %s, route %s, %d B, warm-up %ds, measured %.1fs%n",
                config.label(), config.clients(), connected, config.target(), mode, config.route(), payload.length,
                config.warmup().toSeconds(), seconds);
        System.out.printf("  throughput  %,.0f req/s  (%,d ok, %,d errors)%n", throughput, total.getTotalCount(), errorTotal);
        System.out.printf("  latency     %s%n", Results.latencyLine(total));
        System.out.printf("  errors      %s%n", errorCounts.isEmpty() ? "none" : errorCounts);
        if (!config.serverPids().isEmpty()) {
            System.out.printf("  server CPU  %.1f s (%.2f cores), %.1f µs per request (processes %s)%n", serverCpu, serverCpu / seconds,
                    total.getTotalCount() == 0 ? 0 : serverCpu * 1e6 / total.getTotalCount(), config.serverPids());
        }
        System.out.println();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "load");
        result.put("label", config.label());
        result.put("target", config.target().toString());
        result.put("transport", config.target().transport());
        result.put("clients", config.clients());
        result.put("connected", connected);
        result.put("mode", config.rate() > 0 ? "open" : "closed");
        result.put("inflight", config.inflight());
        result.put("rate", config.rate());
        result.put("route", config.route());
        result.put("payloadBytes", payload.length);
        result.put("warmupSeconds", config.warmup().toMillis() / 1000.0);
        result.put("measuredSeconds", Math.round(seconds * 1000) / 1000.0);
        result.put("throughput", Math.round(throughput));
        result.put("completed", total.getTotalCount());
        result.put("errorsTotal", errorTotal);
        result.put("errors", errorCounts);
        result.put("warmupErrors", warmupErrors.sum());
        result.put("latencyMs", Results.latencyMillis(total));
        if (!config.serverPids().isEmpty()) {
            result.put("serverCpuSeconds", Math.round(serverCpu * 100) / 100.0);
            result.put("serverCpuMicrosPerRequest", total.getTotalCount() == 0 ? 0 : Math.round(serverCpu * 1e7 / total.getTotalCount()) / 10.0);
        }
        return result;
    }
}
