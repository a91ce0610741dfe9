package io.pitaya.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.EventLoopGroup;
import io.pitaya.client.PitayaClient;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The tadpole workload (issue 15): N tadpoles log in ({@code Manager.Login}), enter one world ({@code World.Enter}) and
 * each sends its position ({@code World.Update}, a notify) at a fixed rate; the server pushes every update to every
 * tadpole ({@code update}). Each bot measures how late the others' updates arrive (the send time, in milliseconds, is
 * in the update's {@code time} field; all bots share this JVM's clock) and the pushes it never got. Sends are spread
 * evenly over the period, as real players' are.
 *
 * <pre>
 * java io.pitaya.bench.TadpoleBots --port 3253 --bots 100 --rate 10 --warmup 5s --duration 15s --server-pid 1234 --json r.json
 * </pre>
 */
public final class TadpoleBots {

    private static final byte[] ID = "\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIME = "\"time\":".getBytes(StandardCharsets.US_ASCII);

    private final Histogram delay = new ConcurrentHistogram(Results.MAX_NANOS, Results.DIGITS);
    private final AtomicLong sentInWindow = new AtomicLong();
    private final AtomicLong receivedInWindow = new AtomicLong();
    private volatile long windowStartMillis = Long.MAX_VALUE;
    private volatile long windowEndMillis = Long.MAX_VALUE;
    private volatile boolean recording = true;

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Target target = Target.from(args);
        int bots = args.integer("bots", 100);
        int rate = args.integer("rate", 10);
        Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
        Duration duration = args.duration("duration", Duration.ofSeconds(15));
        long serverPid = args.integer("server-pid", 0);
        String label = args.string("label", "tadpole");
        String json = args.string("json", null);
        args.requireAllUsed();
        Results.write(json, new TadpoleBots().run(target, bots, rate, warmup, duration, serverPid, label));
    }

    Map<String, Object> run(Target target, int count, int rate, Duration warmup, Duration duration, long serverPid, String label)
            throws InterruptedException, IOException {
        EventLoopGroup group = Clients.group(0);
        List<PitayaClient> bots = new ArrayList<>();
        ScheduledExecutorService senders = Executors.newScheduledThreadPool(1);
        try {
            Map<PitayaClient, long[]> own = new java.util.concurrent.ConcurrentHashMap<>();
            bots.addAll(Clients.connect(target, group, count, 64, Duration.ofSeconds(30), true, client -> {
                long[] mine = {-1};
                own.put(client, mine);
                client.onPush("update", body -> arrived(body, mine[0]));
            }));
            if (bots.size() < count) {
                throw new IllegalStateException("only " + bots.size() + " of " + count + " bots connected to " + target);
            }
            List<Long> ids = new ArrayList<>();
            for (PitayaClient bot : bots) {
                bot.request("Manager.Login", "{\"username\":\"bot\",\"cipher\":\"\",\"timestamp\":0}".getBytes(StandardCharsets.UTF_8))
                        .get(30, TimeUnit.SECONDS);
                byte[] entered = bot.request("World.Enter", "{}".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
                long id = number(entered, 0, ID);
                own.get(bot)[0] = id;
                ids.add(id);
            }
            // The measured window is fixed before the first send: senders and receivers judge each update by its own time.
            windowStartMillis = System.currentTimeMillis() + warmup.toMillis();
            windowEndMillis = windowStartMillis + duration.toMillis();
            long periodMicros = 1_000_000L / rate;
            for (int i = 0; i < bots.size(); i++) {
                PitayaClient bot = bots.get(i);
                long id = ids.get(i);
                double[] position = {i * 10.0, i * 5.0};
                // Spread over the period: bot i sends at i/N of it.
                senders.scheduleAtFixedRate(() -> {
                    long now = System.currentTimeMillis();
                    position[0] += 1.5;
                    String update = "{\"id\":" + id + ",\"x\":" + position[0] + ",\"y\":" + position[1] + ",\"name\":\"bot" + id
                            + "\",\"momentum\":1.5,\"angle\":0.3,\"time\":" + now + "}";
                    bot.notify("World.Update", update.getBytes(StandardCharsets.UTF_8));
                    if (now >= windowStartMillis && now < windowEndMillis) {
                        sentInWindow.incrementAndGet();
                    }
                }, periodMicros * i / bots.size(), periodMicros, TimeUnit.MICROSECONDS);
            }
            Thread.sleep(Math.max(0, windowStartMillis - System.currentTimeMillis()));
            double cpuBefore = ChatStorm.cpuSeconds(serverPid);
            Thread.sleep(Math.max(0, windowEndMillis - System.currentTimeMillis()));
            double cpuAfter = ChatStorm.cpuSeconds(serverPid);
            senders.shutdownNow();
            Thread.sleep(2000); // the updates of the window still on their way; later ones count as missing
            recording = false;
            Thread.sleep(50);
            Histogram delays = delay.copy();
            long sent = sentInWindow.get();
            long expected = sent * (count - 1);
            long received = receivedInWindow.get();
            double seconds = duration.toMillis() / 1000.0;

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("tool", "tadpole");
            result.put("label", label);
            result.put("target", target.toString());
            result.put("bots", count);
            result.put("rateHz", rate);
            result.put("seconds", seconds);
            result.put("sentUpdates", sent);
            result.put("expectedPushes", expected);
            result.put("receivedPushes", received);
            result.put("missingPushes", Math.max(0, expected - received));
            result.put("pushesPerSecond", received / seconds);
            result.put("delayMs", Results.latencyMillis(delays));
            result.put("serverCpuSeconds", serverPid > 0 ? cpuAfter - cpuBefore : null);
            result.put("serverCpuPercent", serverPid > 0 ? 100 * (cpuAfter - cpuBefore) / seconds : null);
            System.out.printf("%n%s: %d tadpoles at %d Hz over %s: %,d of %,d pushes (%,.0f/s), missing %,d%n  update delay %s%n"
                            + "  server CPU %s%n%n", label, count, rate, target, received, expected, received / seconds,
                    Math.max(0, expected - received), Results.latencyLine(delays),
                    serverPid > 0 ? String.format("%.1f s (%.0f%% of one core)", cpuAfter - cpuBefore, 100 * (cpuAfter - cpuBefore) / seconds) : "n/a");
            return result;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a bot could not log in or enter: " + e, e);
        } finally {
            senders.shutdownNow();
            bots.forEach(PitayaClient::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** An update pushed to a bot: counted, and its delay measured, when it was sent inside the window (not the bot's own). */
    private void arrived(byte[] body, long self) {
        long now = System.currentTimeMillis();
        long sent = number(body, 0, TIME);
        if (!recording || sent < windowStartMillis || sent >= windowEndMillis || number(body, 0, ID) == self) {
            return;
        }
        receivedInWindow.incrementAndGet();
        delay.recordValue(Math.max(0, now - sent) * 1_000_000L);
    }

    /** @return the integer after the first {@code key} in a JSON body (no JSON parsing: the bots' hot path), -1 if absent */
    static long number(byte[] body, int from, byte[] key) {
        outer:
        for (int i = from; i <= body.length - key.length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (body[i + k] != key[k]) {
                    continue outer;
                }
            }
            long value = 0;
            boolean digits = false;
            for (int j = i + key.length; j < body.length && body[j] >= '0' && body[j] <= '9'; j++) {
                value = value * 10 + (body[j] - '0');
                digits = true;
            }
            return digits ? value : -1;
        }
        return -1;
    }
}
