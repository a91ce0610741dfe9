package io.pitaya.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.EventLoopGroup;
import io.pitaya.client.PitayaClient;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Broadcast latency (scenario 4): N members join one group; a separate sender asks the server to
 * broadcast one message, and the time until the last member has it is measured, round after round.
 *
 * <p>Members send {@code <join-route>} with their uid as the body; the sender sends {@code <route>}
 * with the message, which the server pushes to every member on {@code <push-route>}. All clients live
 * in this JVM, so one clock times send and arrivals.
 *
 * <pre>
 * java io.pitaya.bench.BroadcastBenchmark --port 3250 --members 1000 --rounds 200 --json result.json
 * </pre>
 * With {@code --port2}, half the members connect to that port instead (a second frontend of a cluster); the sender
 * stays on {@code --port}.
 */
public final class BroadcastBenchmark {

    private static final String ROUND_PREFIX = "{\"round\":";

    /** One broadcast: who still waits for it, and when the last one got it. */
    private static final class Round {
        final int number;
        final long sentNanos;
        final boolean counted;
        final AtomicInteger missing;
        final AtomicLong lastArrival = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(1);

        Round(int number, long sentNanos, boolean counted, int members) {
            this.number = number;
            this.sentNanos = sentNanos;
            this.counted = counted;
            this.missing = new AtomicInteger(members);
        }
    }

    private final Histogram delivery = new ConcurrentHistogram(Results.MAX_NANOS, Results.DIGITS);
    private final AtomicLong strays = new AtomicLong();
    private volatile Round current;

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, "quiet");
        Target target = Target.from(args);
        int port2 = args.integer("port2", 0);
        Target second = port2 == 0 ? null : new Target(target.transport(), target.host(), port2, target.path());
        int members = args.integer("members", 1000);
        int rounds = args.integer("rounds", 200);
        int warmupRounds = args.integer("warmup-rounds", 30);
        Duration pause = args.duration("pause", Duration.ofMillis(20));
        int payloadSize = args.integer("payload", 64);
        String joinRoute = args.string("join-route", "bench.join");
        String route = args.string("route", "bench.broadcast");
        String pushRoute = args.string("push-route", "onBroadcast");
        Duration timeout = args.duration("timeout", Duration.ofSeconds(10));
        int threads = args.integer("threads", 0);
        String label = args.string("label", "broadcast");
        String json = args.string("json", null);
        boolean quiet = args.flag("quiet");
        args.requireAllUsed();
        Map<String, Object> result = new BroadcastBenchmark().run(target, second, members, rounds, warmupRounds, pause, payloadSize,
                joinRoute, route, pushRoute, timeout, threads, label, quiet);
        Results.write(json, result);
    }

    /**
     * Runs the benchmark and prints its summary.
     * @return the result, as written to the JSON file
     * @throws InterruptedException when interrupted
     */
    public Map<String, Object> run(Target target, Target second, int memberCount, int rounds, int warmupRounds, Duration pause, int payloadSize,
                                   String joinRoute, String route, String pushRoute, Duration timeout, int threads,
                                   String label, boolean quiet) throws InterruptedException {
        EventLoopGroup group = Clients.group(threads);
        List<PitayaClient> all = new ArrayList<>();
        try {
            int onSecond = second == null ? 0 : memberCount / 2;
            List<PitayaClient> members = new ArrayList<>(Clients.connect(target, group, memberCount - onSecond, 256, timeout, true,
                    client -> client.onPush(pushRoute, this::arrived)));
            all.addAll(members);
            if (second != null) {
                List<PitayaClient> others = Clients.connect(second, group, onSecond, 256, timeout, true,
                        client -> client.onPush(pushRoute, this::arrived));
                all.addAll(others);
                members.addAll(others);
            }
            List<PitayaClient> senders = Clients.connect(target, group, 1, 1, timeout, true, client -> { });
            all.addAll(senders);
            if (members.size() < memberCount || senders.isEmpty()) {
                throw new IllegalStateException("only " + members.size() + " of " + memberCount + " members (and "
                        + senders.size() + " sender) connected to " + target);
            }
            List<CompletableFuture<byte[]>> joins = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                joins.add(members.get(i).request(joinRoute, ("member-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).join();
            PitayaClient sender = senders.get(0);

            Histogram last = Results.histogram();
            int incomplete = 0;
            int senderErrors = 0;
            for (int r = 0; r < warmupRounds + rounds; r++) {
                boolean counted = r >= warmupRounds;
                byte[] message = message(r, payloadSize);
                Round round = new Round(r, System.nanoTime(), counted, members.size());
                current = round;
                CompletableFuture<byte[]> ack = sender.request(route, message);
                boolean complete = round.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    senderErrors++;
                    System.err.println("broadcast request failed: " + Results.errorName(e));
                }
                if (counted) {
                    if (complete) {
                        last.recordValue(round.lastArrival.get() - round.sentNanos);
                    } else {
                        incomplete++;
                        System.err.println("round " + r + ": " + round.missing.get() + " members never got the message");
                    }
                }
                if (!quiet && (r + 1) % 50 == 0) {
                    System.out.printf("[%s] round %d/%d  last member %s%n", label, r + 1, warmupRounds + rounds,
                            complete ? String.format("%.3f ms", (round.lastArrival.get() - round.sentNanos) / 1e6) : "incomplete");
                }
                Thread.sleep(pause.toMillis());
            }
            System.out.printf("%n%s: %d members over %s, %d rounds (+%d warm-up), %d B%n", label, members.size(),
                    second == null ? target : target + " and " + second,
                    rounds, warmupRounds, message(0, payloadSize).length);
            System.out.printf("  last member  %s%n", Results.latencyLine(last));
            System.out.printf("  each member  %s%n", Results.latencyLine(delivery));
            System.out.printf("  incomplete rounds %d, failed sends %d, stray pushes %d%n%n", incomplete, senderErrors, strays.get());

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("tool", "broadcast");
            result.put("label", label);
            result.put("target", second == null ? target.toString() : target + " and " + second);
            result.put("members", members.size());
            result.put("rounds", rounds);
            result.put("warmupRounds", warmupRounds);
            result.put("payloadBytes", message(0, payloadSize).length);
            result.put("incompleteRounds", incomplete);
            result.put("failedSends", senderErrors);
            result.put("lastMemberMs", Results.latencyMillis(last));
            result.put("deliveryMs", Results.latencyMillis(delivery));
            return result;
        } finally {
            Clients.closeAll(all);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void arrived(byte[] body) {
        long now = System.nanoTime();
        Round round = current;
        if (round == null || parseRound(body) != round.number) {
            strays.incrementAndGet();
            return;
        }
        if (round.counted) {
            delivery.recordValue(now - round.sentNanos);
        }
        round.lastArrival.accumulateAndGet(now, Math::max);
        if (round.missing.decrementAndGet() == 0) {
            round.done.countDown();
        }
    }

    /** @return {@code {"round":N,"text":"xx…"}} of about {@code size} bytes */
    static byte[] message(int round, int size) {
        String head = ROUND_PREFIX + round + ",\"text\":\"";
        int fill = Math.max(0, size - head.length() - 2);
        return (head + "x".repeat(fill) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static int parseRound(byte[] body) {
        if (body.length <= ROUND_PREFIX.length() || body[0] != '{') {
            return -1;
        }
        int n = 0;
        for (int i = ROUND_PREFIX.length(); i < body.length; i++) {
            byte b = body[i];
            if (b < '0' || b > '9') {
                return i == ROUND_PREFIX.length() ? -1 : n;
            }
            n = n * 10 + (b - '0');
        }
        return -1;
    }
}
