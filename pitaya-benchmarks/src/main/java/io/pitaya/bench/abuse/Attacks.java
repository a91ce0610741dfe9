package io.pitaya.bench.abuse;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.netty.channel.EventLoopGroup;
import io.pitaya.bench.Clients;
import io.pitaya.bench.Results;
import io.pitaya.client.PitayaClient;
import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.protocol.HandshakeResponse;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import org.HdrHistogram.Histogram;

/**
 * The attacks, each bounded in connections, bytes and time. Each returns what happened to its
 * offenders; the bystanders and the server's memory are measured around it by {@link AbuseTool}.
 */
final class Attacks {

    /** The attack names, in the order they run by default. */
    static final List<String> NAMES = List.of("ws-half-open-handshake", "tcp-half-open-handshake", "big-handshake",
            "tcp-slow-reader", "ws-slow-reader", "zlib-bomb-pipeline", "zlib-bomb-broadcast", "random-frames");

    /**
     * The sizes of the attacks.
     *
     * @param halfOpen connections of each half-open attack
     * @param halfOpenLength the body length their header announces
     * @param halfOpenWindow how long the half-open connections are held
     * @param bigHandshakes connections of the big-handshake attack
     * @param bigHandshakeKeys keys in the {@code user} object of each big handshake
     * @param flooders clients that flood the room during the slow-reader attacks
     * @param slowDuration how long the flood lasts at most
     * @param slowReceiveBuffer SO_RCVBUF of the slow reader
     * @param tcpFloodRate messages per second (all flooders) in the TCP slow-reader attack
     * @param tcpFloodPayload chat content size in the TCP slow-reader attack
     * @param wsFloodRate messages per second in the WebSocket slow-reader attack
     * @param wsFloodPayload chat content size in the WebSocket slow-reader attack
     * @param bombSessions sessions of the zlib-bomb pipeline
     * @param bombNotifies notifies each of them pipelines
     * @param bombSize what each bomb inflates to
     * @param bombWindow how long a zlib-bomb attack is watched
     * @param fuzzConnections connections of the random-frames attack
     * @param fuzzConcurrency how many of them at once
     * @param fuzzWait how long each waits to see whether the server closes it
     * @param seed the random seed (mask keys, fuzz)
     * @param connectTimeout connect and upgrade timeout
     * @param requestRoute the request route (bystanders, health check)
     * @param messageRoute the chat route (notify)
     */
    record Settings(int halfOpen, int halfOpenLength, Duration halfOpenWindow, int bigHandshakes, int bigHandshakeKeys,
                    int flooders, Duration slowDuration, int slowReceiveBuffer, double tcpFloodRate, int tcpFloodPayload,
                    double wsFloodRate, int wsFloodPayload, int bombSessions, int bombNotifies, int bombSize,
                    Duration bombWindow, int fuzzConnections, int fuzzConcurrency, Duration fuzzWait, long seed,
                    Duration connectTimeout, String requestRoute, String messageRoute) {
    }

    /** What an attack reports: printed lines and JSON fields. */
    static final class Outcome {
        final Map<String, Object> json = new LinkedHashMap<>();
        final List<String> lines = new ArrayList<>();

        Outcome put(String key, Object value) {
            json.put(key, value);
            return this;
        }

        Outcome line(String format, Object... args) {
            lines.add(String.format(format, args));
            return this;
        }
    }

    /** One attack. */
    interface Attack {
        Outcome run() throws Exception;
    }

    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final HandshakeCodec HANDSHAKE = new HandshakeCodec();

    private final Endpoints endpoints;
    private final Settings settings;
    private final EventLoopGroup group;
    private final Bystanders bystanders;

    Attacks(Endpoints endpoints, Settings settings, EventLoopGroup group, Bystanders bystanders) {
        this.endpoints = endpoints;
        this.settings = settings;
        this.group = group;
        this.bystanders = bystanders;
    }

    /**
     * @param name one of {@link #NAMES}
     * @return the attack
     */
    Attack named(String name) {
        return switch (name) {
            case "ws-half-open-handshake" -> () -> halfOpen(true);
            case "tcp-half-open-handshake" -> () -> halfOpen(false);
            case "big-handshake" -> this::bigHandshake;
            case "tcp-slow-reader" -> () -> slowReader(false, settings.tcpFloodRate(), settings.tcpFloodPayload());
            case "ws-slow-reader" -> () -> slowReader(true, settings.wsFloodRate(), settings.wsFloodPayload());
            case "zlib-bomb-pipeline" -> () -> zlibBomb(settings.bombSessions(), settings.bombNotifies());
            case "zlib-bomb-broadcast" -> () -> zlibBomb(1, 1);
            case "random-frames" -> this::randomFrames;
            default -> throw new IllegalArgumentException("no attack " + name + "; attacks: " + String.join(",", NAMES));
        };
    }

    /** @return one line describing what an attack does with these settings */
    String describe(String name) {
        Settings s = settings;
        return switch (name) {
            case "ws-half-open-handshake", "tcp-half-open-handshake" -> String.format(
                    "%d %s connections each send only a header announcing a %,d B Handshake, then nothing; held %ds",
                    s.halfOpen(), name.startsWith("ws") ? "WebSocket" : "TCP", s.halfOpenLength(), s.halfOpenWindow().toSeconds());
            case "big-handshake" -> String.format("%d connections (half TCP, half WebSocket) send a ~%,d B handshake "
                    + "with %,d keys in user, then the ack", s.bigHandshakes(), bigHandshakeJson(s.bigHandshakeKeys()).length,
                    s.bigHandshakeKeys());
            case "tcp-slow-reader", "ws-slow-reader" -> {
                boolean ws = name.startsWith("ws");
                yield String.format("a %s client joins and stops reading (SO_RCVBUF %d B) while %d flooders send %.0f msg/s "
                        + "of %,d B to the room for up to %ds", ws ? "WebSocket" : "TCP", s.slowReceiveBuffer(), s.flooders(),
                        ws ? s.wsFloodRate() : s.tcpFloodRate(), ws ? s.wsFloodPayload() : s.tcpFloodPayload(),
                        s.slowDuration().toSeconds());
            }
            case "zlib-bomb-pipeline" -> String.format("%d sessions each pipeline %,d notifies whose zlib body inflates to %,d B",
                    s.bombSessions(), s.bombNotifies(), s.bombSize());
            case "zlib-bomb-broadcast" -> String.format("1 notify %s whose zlib body inflates to %,d B of valid JSON",
                    s.messageRoute(), s.bombSize());
            case "random-frames" -> String.format("%,d connections (half TCP, half WebSocket) send random bytes, packets "
                    + "and frames, %d at a time, seed %d", s.fuzzConnections(), s.fuzzConcurrency(), s.seed());
            default -> name;
        };
    }

    // ---- 1, 2: half-open handshake --------------------------------------------------------------

    private Outcome halfOpen(boolean webSocket) throws Exception {
        int length = settings.halfOpenLength();
        byte[] header = {(byte) PacketType.HANDSHAKE.value(), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
        long start = System.nanoTime();
        long end = start + settings.halfOpenWindow().toNanos();
        List<RawConnection> opened = Collections.synchronizedList(new ArrayList<>());
        Map<RawConnection, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        try (CloseWatcher watcher = new CloseWatcher(); Guard guard = new Guard(end + TimeUnit.SECONDS.toNanos(5))) {
            ExecutorService pool = pool(32, "half-open");
            for (int i = 0; i < settings.halfOpen(); i++) {
                int n = i;
                pool.execute(() -> {
                    if (System.nanoTime() >= end) {
                        count(failures, "window over");
                        return;
                    }
                    try {
                        RawConnection connection = RawConnection.open(endpoints, webSocket, 0, settings.connectTimeout(),
                                new Random(settings.seed() + n));
                        guard.add(connection);
                        connection.send(header);
                        sentAt.put(connection, System.nanoTime());
                        opened.add(connection);
                        watcher.watch(connection);
                    } catch (ClosedByInterruptException e) {
                        count(failures, "still connecting when the window closed");
                    } catch (IOException | RuntimeException e) {
                        count(failures, e.getClass().getSimpleName());
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            pool.shutdownNow();
            double openSeconds = (System.nanoTime() - start) / 1e9;
            while (System.nanoTime() < end && watcher.closed() < opened.size()) {
                Thread.sleep(100);
            }
            Outcome out = new Outcome();
            List<Long> delays = new ArrayList<>();
            synchronized (opened) {
                for (RawConnection connection : opened) {
                    if (connection.closedNanos() > 0) {
                        delays.add(connection.closedNanos() - sentAt.get(connection));
                    }
                }
            }
            out.line("offenders   %d of %d connected in %.1fs%s", opened.size(), settings.halfOpen(), openSeconds,
                    failures.isEmpty() ? "" : ", failed to connect: " + counts(failures));
            closeTimes(out, opened.size(), delays, (System.nanoTime() - start) / 1e9);
            out.put("failedToOpen", counts(failures));
            return out;
        }
    }

    // ---- 3: big handshake -----------------------------------------------------------------------

    /**
     * @param keys how many keys {@code user} gets
     * @return a handshake JSON with {@code "k00000":"x"} … in {@code user}
     */
    static byte[] bigHandshakeJson(int keys) {
        StringBuilder json = new StringBuilder(keys * 13 + 128)
                .append("{\"sys\":{\"platform\":\"java\",\"libVersion\":\"abuse-tool\",\"clientBuildNumber\":\"0\",")
                .append("\"clientVersion\":\"0.0.0\"},\"user\":{");
        for (int i = 0; i < keys; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("\"k").append(String.format("%05d", i)).append("\":\"x\"");
        }
        return json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private Outcome bigHandshake() throws Exception {
        byte[] packet = Packet.encode(PacketType.HANDSHAKE, bigHandshakeJson(settings.bigHandshakeKeys()));
        int count = settings.bigHandshakes();
        Map<String, AtomicInteger> results = new ConcurrentHashMap<>();
        Histogram answerTimes = Results.histogram();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(60);
        try (Guard guard = new Guard(end)) {
            ExecutorService pool = pool(count, "big-handshake");
            for (int i = 0; i < count; i++) {
                boolean webSocket = i % 2 == 1;
                int n = i;
                pool.execute(() -> {
                    String result;
                    try {
                        RawConnection connection = RawConnection.open(endpoints, webSocket, 0, settings.connectTimeout(),
                                new Random(settings.seed() + n));
                        guard.add(connection);
                        long sent = System.nanoTime();
                        connection.send(packet);
                        Packet answer = connection.readPacket(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
                        synchronized (answerTimes) {
                            answerTimes.recordValue(Math.min(System.nanoTime() - sent, Results.MAX_NANOS));
                        }
                        if (answer.type() != PacketType.HANDSHAKE) {
                            result = "answered " + answer.type();
                        } else {
                            HandshakeResponse response = HANDSHAKE.decodeResponse(answer.body());
                            if (response.code() == HandshakeResponse.OK) {
                                connection.send(Packet.encode(PacketType.HANDSHAKE_ACK, new byte[0]));
                                result = "accepted";
                            } else {
                                result = "refused " + response.code();
                            }
                        }
                    } catch (EOFException e) {
                        result = "closed without answer";
                    } catch (SocketTimeoutException e) {
                        result = "no answer";
                    } catch (Exception e) {
                        result = e.getClass().getSimpleName();
                    }
                    count(results, result);
                });
            }
            pool.shutdown();
            pool.awaitTermination(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            pool.shutdownNow();
            Outcome out = new Outcome();
            int accepted = results.getOrDefault("accepted", new AtomicInteger()).get();
            out.line("offenders   %d connections: %d accepted, %d refused or dropped %s", count, accepted, count - accepted,
                    counts(results));
            out.line("answers     %s", Results.latencyLine(answerTimes));
            out.put("offenders", count).put("accepted", accepted).put("results", counts(results))
                    .put("handshakeBytes", packet.length).put("answerMs", Results.latencyMillis(answerTimes));
            return out;
        }
    }

    // ---- 4, 5: slow reader ----------------------------------------------------------------------

    private Outcome slowReader(boolean webSocket, double rate, int payloadSize) throws Exception {
        Outcome out = new Outcome();
        long hardEnd = System.nanoTime() + settings.slowDuration().toNanos() + TimeUnit.SECONDS.toNanos(40);
        List<PitayaClient> flooders = new ArrayList<>();
        try (Guard guard = new Guard(hardEnd)) {
            RawConnection slow = RawConnection.open(endpoints, webSocket, settings.slowReceiveBuffer(), settings.connectTimeout(),
                    new Random(settings.seed()));
            guard.add(slow);
            HandshakeResponse handshake = slow.handshake(null, ANSWER_TIMEOUT);
            if (handshake.code() != HandshakeResponse.OK) {
                return out.line("offender    the slow reader's handshake was refused (%d); nothing measured", handshake.code())
                        .put("error", "handshake refused " + handshake.code());
            }
            Message joined = slow.request(1, settings.requestRoute(), EMPTY_JSON, ANSWER_TIMEOUT);
            if (joined.error()) {
                return out.line("offender    the slow reader could not join: %s", new String(joined.data(), StandardCharsets.UTF_8))
                        .put("error", "join refused");
            }
            int half = settings.flooders() / 2;
            flooders.addAll(Clients.connect(endpoints.target(false), group, settings.flooders() - half, 16,
                    ANSWER_TIMEOUT, true, c -> { }));
            flooders.addAll(Clients.connect(endpoints.target(true), group, half, 16, ANSWER_TIMEOUT, true, c -> { }));
            if (flooders.isEmpty()) {
                return out.line("offender    no flooder could connect; nothing measured").put("error", "no flooders");
            }
            AtomicLong closedAt = new AtomicLong();
            Thread heartbeats = new Thread(() -> {
                // Heartbeats keep the slow reader alive in the server's eyes, and a write that fails is
                // how a client that never reads learns that the server closed it.
                while (closedAt.get() == 0 && !Thread.currentThread().isInterrupted()) {
                    try {
                        slow.heartbeat();
                        Thread.sleep(250);
                    } catch (IOException e) {
                        closedAt.compareAndSet(0, System.nanoTime());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "slow-reader-heartbeats");
            heartbeats.setDaemon(true);
            heartbeats.start();

            byte[] message = ("{\"name\":\"flood\",\"content\":\"" + "x".repeat(payloadSize) + "\"}").getBytes(StandardCharsets.UTF_8);
            long period = Math.max(1, Math.round(1e9 / rate));
            long floodStart = System.nanoTime();
            long floodEnd = floodStart + settings.slowDuration().toNanos();
            long next = floodStart;
            long sent = 0;
            int i = 0;
            while (System.nanoTime() < floodEnd) {
                long closed = closedAt.get();
                // Once the server has dealt with the slow reader, a second more shows the aftermath.
                if (closed != 0 && System.nanoTime() - closed > TimeUnit.SECONDS.toNanos(1)) {
                    break;
                }
                long now = System.nanoTime();
                while (next <= now) {
                    PitayaClient flooder = flooders.get(i++ % flooders.size());
                    if (flooder.isConnected()) {
                        flooder.notify(settings.messageRoute(), message);
                        sent++;
                    }
                    next += period;
                }
                LockSupport.parkNanos(Math.min(next - System.nanoTime(), 1_000_000));
            }
            double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
            long graceEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (closedAt.get() == 0 && System.nanoTime() < graceEnd) {
                Thread.sleep(50);
            }
            heartbeats.interrupt();
            long closed = closedAt.get();
            long floodersLost = flooders.stream().filter(c -> !c.isConnected()).count();
            out.line("offender    flooded %,d msgs of %,d B in %.1fs; slow reader %s", sent, message.length, floodSeconds,
                    closed == 0 ? "still open (not closed by the server)"
                            : String.format("closed by the server %.2fs after the flood began", (closed - floodStart) / 1e9));
            if (floodersLost > 0) {
                out.line("flooders    %d of %d lost their connection", floodersLost, flooders.size());
            }
            out.put("offenders", 1).put("closedByServer", closed == 0 ? 0 : 1).put("stillOpen", closed == 0 ? 1 : 0)
                    .put("timeToCloseMs", closed == 0 ? null : Math.round((closed - floodStart) / 1e6))
                    .put("floodMessages", sent).put("floodMessageBytes", message.length)
                    .put("floodSeconds", Math.round(floodSeconds * 10) / 10.0).put("floodersLost", floodersLost);
            return out;
        } finally {
            Clients.closeAll(flooders);
        }
    }

    // ---- 6, 7: zlib bombs -----------------------------------------------------------------------

    private Outcome zlibBomb(int sessions, int notifies) throws Exception {
        byte[] bomb = ZlibBomb.notifyPacket(settings.messageRoute(), "bomb", settings.bombSize());
        List<PitayaClient> offenders = new ArrayList<>();
        int half = sessions / 2;
        try {
            offenders.addAll(Clients.connect(endpoints.target(false), group, sessions - half, 4, ANSWER_TIMEOUT, true, c -> { }));
            offenders.addAll(Clients.connect(endpoints.target(true), group, half, 4, ANSWER_TIMEOUT, true, c -> { }));
            Outcome out = new Outcome();
            if (offenders.isEmpty()) {
                return out.line("offenders   none could connect; nothing measured").put("error", "no offenders");
            }
            long start = System.nanoTime();
            Map<PitayaClient, Long> closedAt = new ConcurrentHashMap<>();
            for (PitayaClient offender : offenders) {
                offender.onClose(() -> closedAt.putIfAbsent(offender, System.nanoTime()));
            }
            long bombsBefore = bystanders.bombPushes();
            long sent = 0;
            for (int k = 0; k < notifies; k++) {
                for (PitayaClient offender : offenders) {
                    if (offender.isConnected()) {
                        offender.sendRaw(bomb);
                        sent++;
                    }
                }
            }
            long end = start + settings.bombWindow().toNanos();
            long expected = sent * Math.max(1, bystanders.connected());
            long lastBomb = 0;
            long seen = 0;
            // Watched until every bomb arrived, or the offenders are gone and nothing arrives any more.
            while (System.nanoTime() < end && seen < expected) {
                Thread.sleep(50);
                long now = bystanders.bombPushes() - bombsBefore;
                if (now > seen) {
                    seen = now;
                    lastBomb = System.nanoTime();
                }
                long quietSince = Math.max(start, lastBomb);
                if (closedAt.size() == offenders.size() && System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(2)) {
                    break;
                }
            }
            List<Long> delays = new ArrayList<>();
            closedAt.values().forEach(t -> delays.add(t - start));
            out.line("offenders   %d sessions sent %,d notifies of %,d B (%,d MiB once inflated)", offenders.size(), sent,
                    bomb.length, sent * (long) settings.bombSize() >> 20);
            closeTimes(out, offenders.size(), delays, (System.nanoTime() - start) / 1e9);
            out.line("bomb pushes %,d of %,d expected reached bystanders%s", seen, expected,
                    seen == 0 ? "" : String.format(", the last %.2fs after the first send", (lastBomb - start) / 1e9));
            out.put("notifiesSent", sent).put("bombWireBytes", bomb.length).put("bombInflatedBytes", settings.bombSize())
                    .put("bombPushesExpected", expected).put("bombPushesReceived", seen)
                    .put("lastBombPushMs", seen == 0 ? null : Math.round((lastBomb - start) / 1e6));
            return out;
        } finally {
            Clients.closeAll(offenders);
        }
    }

    // ---- 8: random frames -----------------------------------------------------------------------

    private Outcome randomFrames() throws Exception {
        Map<String, AtomicInteger> results = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> kinds = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + TimeUnit.MINUTES.toNanos(5);
        try (Guard guard = new Guard(end + TimeUnit.SECONDS.toNanos(10))) {
            ExecutorService pool = pool(settings.fuzzConcurrency(), "fuzz");
            for (int i = 0; i < settings.fuzzConnections(); i++) {
                int n = i;
                pool.execute(() -> {
                    if (System.nanoTime() >= end) {
                        count(results, "skipped (time bound)");
                        return;
                    }
                    Random random = new Random(settings.seed() * 1_000_003L + n);
                    boolean webSocket = n % 2 == 1;
                    Fuzz.Script script = Fuzz.script(random, webSocket);
                    count(kinds, script.kind().name().toLowerCase());
                    count(results, fuzzOne(script, webSocket, random, guard));
                    done.incrementAndGet();
                });
            }
            pool.shutdown();
            pool.awaitTermination(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String health = healthCheck();
        Outcome out = new Outcome();
        out.line("offenders   %,d connections in %.1fs: %s", done.get(), seconds, counts(results));
        out.line("kinds       %s", counts(kinds));
        out.line("afterwards  %s", health);
        out.put("offenders", done.get()).put("results", counts(results)).put("kinds", counts(kinds)).put("healthCheck", health)
                .put("seconds", Math.round(seconds * 10) / 10.0);
        return out;
    }

    private String fuzzOne(Fuzz.Script script, boolean webSocket, Random random, Guard guard) {
        RawConnection connection;
        try {
            connection = script.kind() == Fuzz.Kind.WS_HTTP_GARBAGE
                    ? RawConnection.open(endpoints.host(), endpoints.wsPort(), null, 0, settings.connectTimeout(), random)
                    : RawConnection.open(endpoints, webSocket, 0, settings.connectTimeout(), random);
        } catch (IOException e) {
            return "connect failed";
        }
        guard.add(connection);
        try {
            for (byte[] chunk : script.chunks()) {
                if (script.raw() || !connection.webSocket()) {
                    connection.writeFully(chunk);
                } else {
                    connection.send(chunk);
                }
            }
        } catch (IOException e) {
            connection.close();
            guard.remove(connection);
            return "closed while sending";
        }
        boolean closed = connection.closedWithin(settings.fuzzWait());
        connection.close();
        guard.remove(connection);
        return closed ? "closed by server" : "still open after " + settings.fuzzWait().toMillis() + "ms";
    }

    /** @return whether a fresh client still gets an answer over TCP and WebSocket */
    String healthCheck() {
        StringBuilder text = new StringBuilder();
        for (boolean webSocket : new boolean[] {false, true}) {
            PitayaClient client = endpoints.target(webSocket).builder(group, ANSWER_TIMEOUT).heartbeats(false).build();
            String result;
            try {
                client.connect().get(20, TimeUnit.SECONDS);
                client.request(settings.requestRoute(), EMPTY_JSON).get(20, TimeUnit.SECONDS);
                result = "ok";
            } catch (Exception e) {
                result = Results.errorName(e);
            } finally {
                client.close();
            }
            text.append(text.length() == 0 ? "" : ", ").append(webSocket ? "new WebSocket client " : "new TCP client ").append(result);
        }
        return text.toString();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void closeTimes(Outcome out, int offenders, List<Long> delays, double watchedSeconds) {
        Histogram histogram = Results.histogram();
        delays.forEach(d -> histogram.recordValue(Math.max(0, Math.min(d, Results.MAX_NANOS))));
        int stillOpen = offenders - delays.size();
        out.line("closed      %d by the server, %d still open after %.1fs; time to close %s", delays.size(), stillOpen,
                watchedSeconds, delays.isEmpty() ? "-" : String.format("p50 %.2fs, max %.2fs",
                        histogram.getValueAtPercentile(50) / 1e9, histogram.getMaxValue() / 1e9));
        out.put("offenders", offenders).put("closedByServer", delays.size()).put("stillOpen", stillOpen)
                .put("timeToCloseP50Ms", delays.isEmpty() ? null : Math.round(histogram.getValueAtPercentile(50) / 1e6))
                .put("timeToCloseMaxMs", delays.isEmpty() ? null : Math.round(histogram.getMaxValue() / 1e6));
    }

    private static ExecutorService pool(int threads, String name) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(null, r, name + "-" + n.incrementAndGet(), 256 * 1024);
            t.setDaemon(true);
            return t;
        });
    }

    private static void count(Map<String, AtomicInteger> counts, String key) {
        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private static Map<String, Integer> counts(Map<String, AtomicInteger> counts) {
        Map<String, Integer> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /**
     * Closes every connection it was given at the latest at its deadline (which unblocks any read or
     * write stuck on them) and at the end of the attack in any case.
     */
    private static final class Guard implements Closeable {
        private final Set<Closeable> connections = ConcurrentHashMap.newKeySet();
        private final Thread timer;

        Guard(long deadlineNanos) {
            timer = new Thread(() -> {
                long left;
                while ((left = deadlineNanos - System.nanoTime()) > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                closeAll();
            }, "attack-deadline");
            timer.setDaemon(true);
            timer.start();
        }

        void add(Closeable connection) {
            connections.add(connection);
        }

        void remove(Closeable connection) {
            connections.remove(connection);
        }

        private void closeAll() {
            for (Closeable c : List.copyOf(connections)) {
                try {
                    c.close();
                } catch (IOException e) {
                    // Closing anyway.
                }
            }
        }

        @Override
        public void close() {
            timer.interrupt();
            closeAll();
        }
    }
}
