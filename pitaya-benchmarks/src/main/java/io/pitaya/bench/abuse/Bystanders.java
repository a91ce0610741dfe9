package io.pitaya.bench.abuse;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.EventLoopGroup;
import io.pitaya.bench.Clients;
import io.pitaya.bench.Results;
import io.pitaya.client.PitayaClient;
import io.pitaya.protocol.PacketType;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The well-behaved players the attacks must not hurt: each joins the room, sends a chat message every
 * {@code messageInterval} carrying its send time, and a request every {@code requestInterval}. What they
 * see is measured per window (one attack): request latency, broadcast delay (arrival minus the send
 * time in the message, for messages of bystanders), the longest gap between two server heartbeats,
 * and how many were disconnected.
 *
 * <p>The request is {@code room.join} again: sample-chat answers it at once with an error (the session
 * is already bound) without logging, which is a full round trip through the dispatcher and the handler.
 */
final class Bystanders implements Closeable {

    private static final byte[] NAME_PREFIX = "{\"name\":\"by-".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BOMB_PREFIX = "{\"name\":\"bomb".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONTENT_KEY = "\"content\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);

    /**
     * What the bystanders saw during one window.
     *
     * @param connected bystanders connected at the end of the window
     * @param requests requests answered (errors included) in the window
     * @param requestTimeouts requests that got no answer in time
     * @param requestLatency latency of answered and timed-out requests, nanoseconds
     * @param messagesSent chat messages the bystanders sent
     * @param deliveriesExpected those times the bystanders in the room when each was sent
     * @param messagesReceived chat messages of bystanders that arrived (one per recipient)
     * @param broadcastDelay arrival minus send time of those, nanoseconds
     * @param maxHeartbeatGapNanos the longest time any bystander went without a server heartbeat
     * @param disconnected bystanders whose connection closed during the window
     * @param bombPushes pushes of the zlib bomb (name {@code bomb…}) that reached bystanders
     */
    record Window(int connected, long requests, long requestTimeouts, Histogram requestLatency, long messagesSent,
                  long deliveriesExpected, long messagesReceived, Histogram broadcastDelay, long maxHeartbeatGapNanos, int disconnected,
                  long bombPushes) {
    }

    private final Endpoints endpoints;
    private final EventLoopGroup group;
    private final String requestRoute;
    private final String messageRoute;
    private final String pushRoute;
    private final Duration requestTimeout;
    private final Slot[] slots;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bystanders");
        t.setDaemon(true);
        return t;
    });

    private final Recorder requestLatency = new Recorder(Results.MAX_NANOS, Results.DIGITS);
    private final Recorder broadcastDelay = new Recorder(Results.MAX_NANOS, Results.DIGITS);
    private final LongAdder requests = new LongAdder();
    private final LongAdder requestTimeouts = new LongAdder();
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder deliveriesExpected = new LongAdder();
    private final LongAdder messagesReceived = new LongAdder();
    private final LongAdder bombPushes = new LongAdder();
    private final LongAdder bombPushesTotal = new LongAdder();
    private final AtomicLong maxHeartbeatGap = new AtomicLong();
    private final AtomicInteger disconnected = new AtomicInteger();
    private volatile boolean closing;
    private long tick;

    /** One bystander's place; its client is replaced when it reconnects. */
    private final class Slot {
        final int index;
        final boolean webSocket;
        volatile PitayaClient client;
        volatile boolean ready;
        volatile boolean lost;
        volatile long lastHeartbeatNanos;

        Slot(int index, boolean webSocket) {
            this.index = index;
            this.webSocket = webSocket;
        }
    }

    /**
     * @param endpoints the server
     * @param group the event loop group of the clients
     * @param count how many bystanders, the first half over TCP, the rest over WebSocket
     * @param routes request route, chat route, push route
     * @param requestTimeout the request timeout
     */
    Bystanders(Endpoints endpoints, EventLoopGroup group, int count, List<String> routes, Duration requestTimeout) {
        this.endpoints = endpoints;
        this.group = group;
        this.requestRoute = routes.get(0);
        this.messageRoute = routes.get(1);
        this.pushRoute = routes.get(2);
        this.requestTimeout = requestTimeout;
        this.slots = new Slot[count];
        for (int i = 0; i < count; i++) {
            slots[i] = new Slot(i, i >= count / 2);
        }
    }

    /**
     * Connects and joins every bystander, then starts their traffic.
     * @param messageInterval time between two chat messages of one bystander
     * @param requestInterval time between two requests of one bystander
     * @return how many are connected
     */
    int start(Duration messageInterval, Duration requestInterval) {
        List<CompletableFuture<Boolean>> joining = new ArrayList<>();
        for (Slot slot : slots) {
            joining.add(connect(slot));
        }
        int ok = 0;
        for (CompletableFuture<Boolean> join : joining) {
            ok += join.join() ? 1 : 0;
        }
        long ticksPerRequest = Math.max(1, requestInterval.toNanos() / messageInterval.toNanos());
        ticker.scheduleAtFixedRate(() -> tick(ticksPerRequest), messageInterval.toNanos(), messageInterval.toNanos(),
                TimeUnit.NANOSECONDS);
        return ok;
    }

    private CompletableFuture<Boolean> connect(Slot slot) {
        PitayaClient client = endpoints.target(slot.webSocket).builder(group, requestTimeout).heartbeats(true).build();
        slot.ready = false;
        slot.client = client;
        client.onPush(pushRoute, this::arrived);
        client.onPacket(packet -> {
            if (packet.type() == PacketType.HEARTBEAT) {
                heartbeat(slot, System.nanoTime());
            }
        });
        client.onClose(() -> {
            if (!closing && slot.client == client && !slot.lost) {
                slot.lost = true;
                slot.ready = false;
                disconnected.incrementAndGet();
                heartbeat(slot, System.nanoTime());
            }
        });
        return client.connect()
                .thenCompose(hs -> client.request(requestRoute, EMPTY_JSON))
                .handle((body, error) -> {
                    if (error != null) {
                        System.err.println("bystander " + slot.index + " could not connect and join: " + Results.errorName(error));
                        slot.lost = true;
                        client.close();
                        return false;
                    }
                    slot.lastHeartbeatNanos = System.nanoTime();
                    slot.lost = false;
                    slot.ready = true;
                    return true;
                });
    }

    private void heartbeat(Slot slot, long now) {
        long last = slot.lastHeartbeatNanos;
        if (last > 0) {
            long gap = now - last;
            maxHeartbeatGap.accumulateAndGet(gap, Math::max);
        }
        slot.lastHeartbeatNanos = now;
    }

    private void tick(long ticksPerRequest) {
        long t = tick++;
        List<Slot> ready = new ArrayList<>(slots.length);
        for (Slot slot : slots) {
            PitayaClient client = slot.client;
            if (slot.ready && client != null && client.isConnected()) {
                ready.add(slot);
            }
        }
        for (Slot slot : ready) {
            PitayaClient client = slot.client;
            long now = System.nanoTime();
            client.notify(messageRoute, ("{\"name\":\"by-" + slot.index + "\",\"content\":\"" + now + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            messagesSent.increment();
            deliveriesExpected.add(ready.size());
            if ((t + slot.index) % ticksPerRequest == 0) {
                client.request(requestRoute, EMPTY_JSON).whenComplete((body, error) -> {
                    long elapsed = System.nanoTime() - now;
                    if (error == null || Results.isAnswerOrTimeout(error)) {
                        requestLatency.recordValue(Math.min(elapsed, Results.MAX_NANOS));
                        requests.increment();
                        if (error != null && "timeout".equals(Results.errorName(error))) {
                            requestTimeouts.increment();
                        }
                    }
                });
            }
        }
    }

    private void arrived(byte[] body) {
        long now = System.nanoTime();
        if (startsWith(body, BOMB_PREFIX)) {
            bombPushes.increment();
            bombPushesTotal.increment();
            return;
        }
        if (!startsWith(body, NAME_PREFIX)) {
            return;
        }
        long sent = sendTime(body);
        if (sent > 0) {
            messagesReceived.increment();
            broadcastDelay.recordValue(Math.max(0, Math.min(now - sent, Results.MAX_NANOS)));
        }
    }

    /** @return the send time in {@code "content":"<nanos>"}, or -1 */
    static long sendTime(byte[] body) {
        int limit = Math.min(body.length, 128);
        for (int i = 0; i + CONTENT_KEY.length <= limit; i++) {
            if (regionMatches(body, i, CONTENT_KEY)) {
                long value = 0;
                int digits = 0;
                for (int j = i + CONTENT_KEY.length; j < body.length && body[j] >= '0' && body[j] <= '9' && digits < 19; j++) {
                    value = value * 10 + (body[j] - '0');
                    digits++;
                }
                return digits == 0 ? -1 : value;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        return body.length >= prefix.length && regionMatches(body, 0, prefix);
    }

    private static boolean regionMatches(byte[] body, int at, byte[] what) {
        for (int k = 0; k < what.length; k++) {
            if (body[at + k] != what[k]) {
                return false;
            }
        }
        return true;
    }

    /** @return zlib-bomb pushes received since the start (not reset by windows) */
    long bombPushes() {
        return bombPushesTotal.sum();
    }

    /** @return bystanders connected and joined now */
    int connected() {
        int n = 0;
        for (Slot slot : slots) {
            PitayaClient client = slot.client;
            if (slot.ready && client != null && client.isConnected()) {
                n++;
            }
        }
        return n;
    }

    /** Starts a window: the counters and histograms start from zero. */
    void startWindow() {
        requestLatency.reset();
        broadcastDelay.reset();
        requests.reset();
        requestTimeouts.reset();
        messagesSent.reset();
        deliveriesExpected.reset();
        messagesReceived.reset();
        bombPushes.reset();
        maxHeartbeatGap.set(0);
        disconnected.set(0);
    }

    /** @return what the bystanders saw since {@link #startWindow()} */
    Window endWindow() {
        long now = System.nanoTime();
        int connected = 0;
        for (Slot slot : slots) {
            PitayaClient client = slot.client;
            if (slot.ready && client != null && client.isConnected()) {
                connected++;
                long last = slot.lastHeartbeatNanos;
                if (last > 0) {
                    maxHeartbeatGap.accumulateAndGet(now - last, Math::max);
                }
            }
        }
        return new Window(connected, requests.sum(), requestTimeouts.sum(), requestLatency.getIntervalHistogram(),
                messagesSent.sum(), deliveriesExpected.sum(), messagesReceived.sum(), broadcastDelay.getIntervalHistogram(), maxHeartbeatGap.get(),
                disconnected.get(), bombPushes.sum());
    }

    /**
     * Reconnects (and joins again) every bystander that lost its connection.
     * @return how many came back
     */
    int reconnectLost() {
        List<CompletableFuture<Boolean>> back = new ArrayList<>();
        for (Slot slot : slots) {
            PitayaClient client = slot.client;
            if (!slot.ready || client == null || !client.isConnected()) {
                if (client != null) {
                    client.close();
                }
                back.add(connect(slot));
            }
        }
        int ok = 0;
        for (CompletableFuture<Boolean> future : back) {
            ok += future.join() ? 1 : 0;
        }
        return ok;
    }

    @Override
    public void close() {
        closing = true;
        ticker.shutdownNow();
        List<PitayaClient> clients = new ArrayList<>();
        for (Slot slot : slots) {
            if (slot.client != null) {
                clients.add(slot.client);
            }
        }
        Clients.closeAll(clients);
    }
}
