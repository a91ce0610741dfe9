package io.pitaya.spring.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.pitaya.client.PitayaClient;
import io.pitaya.protocol.PacketType;
import io.pitaya.spring.it.EchoComponent.Message;

import static io.pitaya.spring.it.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Well-behaved players beside an attack: one on each transport, in a group, broadcasting to it every 100 ms
 * and timing every broadcast they receive, every heartbeat gap and every request. {@link #assertUnharmed}
 * says whether the attack reached them.
 */
final class Bystanders implements AutoCloseable {

    private final List<PitayaClient> clients = new ArrayList<>();
    private final String group;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger sent = new AtomicInteger();
    private final ConcurrentHashMap<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
    private final AtomicLong worstDelayNanos = new AtomicLong();
    private final AtomicLong worstRequestNanos = new AtomicLong();
    private final AtomicInteger failedRequests = new AtomicInteger();
    private final AtomicInteger disconnected = new AtomicInteger();
    private final long[] lastHeartbeat;
    private final AtomicLong worstHeartbeatGapNanos = new AtomicLong();
    private volatile boolean stopped;

    Bystanders(ServerUnderTest server, String group) throws Exception {
        this.group = group;
        Transport[] transports = Transport.values();
        lastHeartbeat = new long[transports.length];
        for (int i = 0; i < transports.length; i++) {
            PitayaClient client = server.connect(transports[i]);
            int index = i;
            lastHeartbeat[i] = System.nanoTime();
            client.onPacket(packet -> {
                if (packet.type() == PacketType.HEARTBEAT) {
                    long now = System.nanoTime();
                    worstHeartbeatGapNanos.accumulateAndGet(now - lastHeartbeat[index], Math::max);
                    lastHeartbeat[index] = now;
                }
            });
            client.onClose(() -> {
                if (!stopped) {
                    disconnected.incrementAndGet();
                }
            });
            client.onPush("onBroadcast", Message.class, m -> {
                // "group:sentNanos" or "group:sentNanos:padding"
                worstDelayNanos.accumulateAndGet(System.nanoTime() - Long.parseLong(m.text().split(":")[1]), Math::max);
                received.computeIfAbsent(m.n(), n -> new AtomicInteger()).incrementAndGet();
            });
            assertThat(await(client.request("echo.bind", new Message(group + "-bystander-" + i, 0), String.class))).isNotNull();
            await(client.request("echo.join", new Message(group, 0), String.class));
            clients.add(client);
        }
        ticker.scheduleAtFixedRate(this::tick, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        int n = sent.incrementAndGet();
        PitayaClient client = clients.get(n % clients.size());
        long start = System.nanoTime();
        client.request("echo.shout", new Message(group + ":" + start, n), List.class).whenComplete((members, error) -> {
            if (error != null) {
                failedRequests.incrementAndGet();
            } else {
                worstRequestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            }
        });
    }

    /**
     * Stops broadcasting and checks that every bystander stayed connected, got every broadcast within
     * {@code maxDelayMillis}, every answer, and heartbeats no further apart than {@code maxHeartbeatGapMillis}.
     */
    void assertUnharmed(long maxDelayMillis, long maxHeartbeatGapMillis) throws InterruptedException {
        stopped = true;
        ticker.shutdownNow();
        int last = sent.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && (received.getOrDefault(last, new AtomicInteger()).get() < clients.size())) {
            Thread.sleep(20);
        }
        assertThat(disconnected.get()).as("bystanders disconnected").isZero();
        assertThat(failedRequests.get()).as("bystanders' failed requests").isZero();
        int missing = 0;
        for (int n = 1; n <= last; n++) {
            missing += clients.size() - received.getOrDefault(n, new AtomicInteger()).get();
        }
        assertThat(missing).as("broadcasts lost for the bystanders, of %d sent", last).isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(worstDelayNanos.get())).as("worst broadcast delay (ms)").isLessThan(maxDelayMillis);
        assertThat(TimeUnit.NANOSECONDS.toMillis(worstRequestNanos.get())).as("worst request time (ms)").isLessThan(maxDelayMillis);
        long now = System.nanoTime();
        for (long heartbeat : lastHeartbeat) {
            worstHeartbeatGapNanos.accumulateAndGet(now - heartbeat, Math::max);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(worstHeartbeatGapNanos.get())).as("worst heartbeat gap (ms)").isLessThan(maxHeartbeatGapMillis);
    }

    @Override
    public void close() {
        stopped = true;
        ticker.shutdownNow();
        clients.forEach(PitayaClient::close);
    }
}
