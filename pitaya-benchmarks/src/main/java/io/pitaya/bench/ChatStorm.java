package io.pitaya.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.EventLoopGroup;
import io.pitaya.client.PitayaClient;

/**
 * A chat room's burst, as issue 12 measured browsers against the server: N clients join one group, then each
 * sends M messages (one request in flight per client), and the server pushes every message to every member:
 * N x M x N pushes. Measures the time from the first send until the last push arrived, pushes per second,
 * and the server's CPU seconds over that time (from {@code /proc/<pid>/stat}).
 *
 * <pre>
 * java io.pitaya.bench.ChatStorm --transport browser --port 3251 --path /pitaya --clients 200 --messages 20 \
 *     --server-pid 1234 --json result.json
 * </pre>
 */
public final class ChatStorm {

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong lastArrival = new AtomicLong();

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, "quiet");
        Target target = Target.from(args);
        int clients = args.integer("clients", 200);
        int messages = args.integer("messages", 20);
        int payload = args.integer("payload", 64);
        long serverPid = args.integer("server-pid", 0);
        Duration timeout = args.duration("timeout", Duration.ofSeconds(120));
        String label = args.string("label", "chat-storm");
        String json = args.string("json", null);
        args.requireAllUsed();
        Results.write(json, new ChatStorm().run(target, clients, messages, payload, serverPid, timeout, label));
    }

    Map<String, Object> run(Target target, int count, int messages, int payload, long serverPid, Duration timeout, String label)
            throws InterruptedException, IOException {
        EventLoopGroup group = Clients.group(0);
        List<PitayaClient> clients = new ArrayList<>();
        try {
            clients.addAll(Clients.connect(target, group, count, 64, Duration.ofSeconds(30), true,
                    client -> client.onPush("onBroadcast", body -> {
                        received.incrementAndGet();
                        lastArrival.set(System.nanoTime());
                    })));
            if (clients.size() < count) {
                throw new IllegalStateException("only " + clients.size() + " of " + count + " clients connected to " + target);
            }
            List<CompletableFuture<byte[]>> joins = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                joins.add(clients.get(i).request("bench.join", ("chatter-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).join();

            long expected = (long) count * messages * count;
            byte[] body = new byte[payload];
            java.util.Arrays.fill(body, (byte) 'x');
            double cpuBefore = cpuSeconds(serverPid);
            long start = System.nanoTime();
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (PitayaClient client : clients) {
                senders.add(send(client, body, messages));
            }
            long deadline = start + timeout.toNanos();
            while (received.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long end = received.get() >= expected ? lastArrival.get() : System.nanoTime();
            double cpuAfter = cpuSeconds(serverPid);
            long failedSends = senders.stream().filter(CompletableFuture::isCompletedExceptionally).count();

            double seconds = (end - start) / 1e9;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("label", label);
            result.put("target", target.toString());
            result.put("clients", count);
            result.put("messagesEach", messages);
            result.put("expectedPushes", expected);
            result.put("receivedPushes", received.get());
            result.put("seconds", seconds);
            result.put("pushesPerSecond", received.get() / seconds);
            result.put("serverCpuSeconds", serverPid > 0 ? cpuAfter - cpuBefore : null);
            result.put("failedSenders", failedSends);
            System.out.printf("%n%s: %d clients over %s, %d messages each, %d B: %,d of %,d pushes in %.2f s (%,.0f/s), "
                            + "server CPU %s, failed senders %d%n%n", label, count, target, messages, payload, received.get(), expected,
                    seconds, received.get() / seconds, serverPid > 0 ? String.format("%.1f s", cpuAfter - cpuBefore) : "n/a", failedSends);
            return result;
        } finally {
            clients.forEach(PitayaClient::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** One request in flight: the next message when the previous one is answered. */
    private static CompletableFuture<Void> send(PitayaClient client, byte[] body, int left) {
        if (left == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return client.request("bench.broadcast", body).thenCompose(answer -> send(client, body, left - 1));
    }

    /** @return user + system CPU seconds of a process so far, 0 without a pid */
    static double cpuSeconds(long pid) throws IOException {
        if (pid <= 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After the command: state is field 3 (index 0 here); utime and stime are fields 14 and 15.
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }
}
