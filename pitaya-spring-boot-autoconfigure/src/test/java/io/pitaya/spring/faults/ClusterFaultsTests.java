package io.pitaya.spring.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.pitaya.client.PitayaClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster under faults, every part in its own OS process on loopback: ZooKeeper, a KRaft Kafka broker,
 * two backends (room-1, room-2) and two frontends (connector-1, connector-2), with 20 players keeping one
 * request in flight each: 16 forwarded to the backends ({@code room.room.whoami}), 2 joining the room
 * group (a broadcast to its members on every frontend), 2 on a route the frontend serves itself. Each test
 * makes one fault, reports what the players saw ({@code target/faults/report.md}) and checks it. RPC timeout
 * 2 s, ejection 5 s, ZooKeeper session 10 s.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsTests {

    static final Duration RPC_TIMEOUT = ProcessCluster.RPC_TIMEOUT;
    static final Duration SLOW = Duration.ofSeconds(1);
    static final int PLAYERS = 20;

    ProcessCluster cluster;
    Players players;
    final List<String> report = new ArrayList<>();

    static String route(int player) {
        return switch (player % 10) {
            case 0 -> "connector.getSessionData";
            case 1 -> "room.room.join";
            default -> "room.room.whoami";
        };
    }

    static final Predicate<String> FORWARDED = uid -> !route(index(uid)).startsWith("connector.");
    static final Predicate<String> LOCAL = uid -> route(index(uid)).startsWith("connector.");
    static final Predicate<String> JOINERS = uid -> route(index(uid)).equals("room.room.join");

    static int index(String uid) {
        return Integer.parseInt(uid.substring("player-".length()));
    }

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new ProcessCluster(Path.of("target", "faults").toAbsolutePath());
        cluster.startZookeeper();
        cluster.startKafka();
        Map<String, Boolean> servers = new LinkedHashMap<>();
        servers.put("room-1", false);
        servers.put("room-2", false);
        servers.put("connector-1", true);
        servers.put("connector-2", true);
        cluster.startAll(servers);
        // Through both frontends: each must see both backends before the players start on it.
        awaitAnsweredBy("connector-1", Set.of("room-1", "room-2"), Duration.ofSeconds(60));
        awaitAnsweredBy("connector-2", Set.of("room-1", "room-2"), Duration.ofSeconds(60));
        players = new Players(PLAYERS, ClusterFaultsTests::route,
                List.of(cluster.tcpPorts.get("connector-1"), cluster.tcpPorts.get("connector-2"))).start();
        Thread.sleep(10_000); // warm: the rate before the first fault is the steady one
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (players != null) {
            players.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        Path file = Path.of("target", "faults", "report.md");
        Files.writeString(file, String.join("\n", report) + "\n", StandardCharsets.UTF_8);
        System.out.println(String.join("\n", report));
    }

    /** Log lines of every server when the current scenario started. */
    Map<String, Integer> logMarks = Map.of();

    @org.junit.jupiter.api.BeforeEach
    void markLogs() throws Exception {
        logMarks = cluster.logMarks();
    }

    @org.junit.jupiter.api.AfterEach
    void countLogLines(org.junit.jupiter.api.TestInfo test) throws Exception {
        Map<String, Integer> warnings = cluster.warningsSince(logMarks);
        int total = warnings.values().stream().mapToInt(Integer::intValue).sum();
        report.add("|  WARN/ERROR log lines, all servers, during %s: %d %s | | | | | | | | |".formatted(
                test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("?"), total, warnings));
        // One line per event kind and target every 10 s, not one per failed call or reconnect attempt.
        assertThat(warnings.values()).as("log lines per server: %s", warnings).allSatisfy(count -> assertThat(count).isLessThan(MAX_LOG_LINES));
    }

    /** Per server and scenario: pitaya's counted lines plus the ZooKeeper and Kafka clients' own. */
    static final int MAX_LOG_LINES = 150;

    private Players.Report observe(String scenario, Predicate<String> who, long fault, Duration window) throws InterruptedException {
        long end = fault + window.toNanos();
        long wait = end - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        // Requests started before the end may still be running: let them finish (or time out) first.
        Thread.sleep(Players.UNANSWERED.toMillis() > 0 ? RPC_TIMEOUT.toMillis() + 1000 : 0);
        Players.Report result = players.report(scenario, who, fault, end, SLOW);
        if (report.isEmpty()) {
            report.add(Players.Report.HEADER);
        }
        report.add(result.row());
        if (result.worstPlayer() != null && !result.worstPlayer().isEmpty()) {
            report.add("|  worst player: " + result.worstPlayer() + " | | | | | | | | |");
        }
        if (!result.longestStory().isEmpty()) {
            report.add("|  " + result.longestStory() + " | | | | | | | | |");
        }
        return result;
    }

    @Test
    @Order(1)
    void aKilledBackendCostsEachPlayerAboutOneRpcTimeout() throws Exception {
        long fault = System.nanoTime();
        cluster.server("room-2").kill();

        Players.Report seen = observe("kill -9 backend room-2 (forwarded)", FORWARDED, fault, Duration.ofSeconds(15));

        assertThat(seen.unanswered()).as(seen.row()).isZero();
        assertThat(seen.longestWait()).as(seen.row() + " " + seen.longestStory()).isLessThanOrEqualTo(RPC_TIMEOUT.plusMillis(1500));
        assertThat(seen.worstPlayerLost()).as(seen.row() + " " + seen.worstPlayer()).isLessThanOrEqualTo(RPC_TIMEOUT.multipliedBy(2).plusSeconds(1));
        assertThat(seen.recovery()).as(seen.row()).isNotNull().isLessThanOrEqualTo(RPC_TIMEOUT.plusSeconds(3));
    }


    @Test
    @Order(2)
    void aBackendRestartedWithItsIdServesAgain() throws Exception {
        cluster.start("room-2", false);

        awaitAnsweredBy(Set.of("room-2"), Duration.ofSeconds(30));
    }

    @Test
    @Order(3)
    void aFrozenBackendCostsEachPlayerAboutOneRpcTimeoutAndIsBackWhenThawed() throws Exception {
        long fault = System.nanoTime();
        cluster.server("room-1").freeze();
        Thread.sleep(15_000);
        cluster.server("room-1").thaw();

        Players.Report seen = observe("SIGSTOP backend room-1 for 15 s (forwarded)", FORWARDED, fault, Duration.ofSeconds(18));

        assertThat(seen.unanswered()).as(seen.row()).isZero();
        assertThat(seen.longestWait()).as(seen.row() + " " + seen.longestStory()).isLessThanOrEqualTo(RPC_TIMEOUT.plusMillis(1500));
        assertThat(seen.worstPlayerLost()).as(seen.row() + " " + seen.worstPlayer()).isLessThanOrEqualTo(RPC_TIMEOUT.multipliedBy(2).plusSeconds(1));
        assertThat(seen.recovery()).as(seen.row()).isNotNull().isLessThanOrEqualTo(RPC_TIMEOUT.plusSeconds(3));
        awaitAnsweredBy(Set.of("room-1"), ProcessCluster.EJECTION_TIME.plusSeconds(20));
    }

    @Test
    @Order(4)
    void whileKafkaIsDownEveryRequestIsAnsweredAndLocalRoutesKeepWorking() throws Exception {
        kafkaOutage("kill -9 Kafka, restarted after 10 s", Duration.ofSeconds(10));
    }

    @Test
    @Order(5)
    void withKafkaDownForAMinuteNothingHangsAndLocalRoutesKeepWorking() throws Exception {
        kafkaOutage("Kafka down a minute", Duration.ofSeconds(60));
    }

    /**
     * Kills the broker, starts it again after the given time, and checks what players saw until 10 s after it
     * serves again: nothing unanswered or waiting past the RPC timeout, the frontend-local route untouched,
     * throughput back within 10 s of the broker, without restarts.
     */
    private void kafkaOutage(String scenario, Duration down) throws Exception {
        long fault = System.nanoTime();
        cluster.kafka().kill();
        Thread.sleep(down.toMillis());
        cluster.startKafka();
        long back = System.nanoTime();
        Duration outage = Duration.ofNanos(back - fault);
        Duration window = outage.plusSeconds(10);

        Players.Report forwarded = observe(scenario + " (forwarded)", FORWARDED, fault, window);
        Players.Report local = players.report(scenario + " (frontend-local route)", LOCAL, fault, fault + window.toNanos(), SLOW);
        report.add(local.row());
        Duration afterBack = forwarded.recovery() == null ? null : forwarded.recovery().minus(outage);
        report.add("| Kafka down %.1f s until its broker served again; forwarded throughput back %s after that | | | | | | | | |"
                .formatted(outage.toMillis() / 1000.0, afterBack == null ? "never" : "%.1f s".formatted(afterBack.toMillis() / 1000.0)));

        assertThat(forwarded.unanswered()).as(forwarded.row()).isZero();
        assertThat(forwarded.longestWait()).as(forwarded.row() + " " + forwarded.longestStory()).isLessThanOrEqualTo(RPC_TIMEOUT.plusMillis(1500));
        assertThat(forwarded.rateAfter()).as("recovered without restarts: " + forwarded.row())
                .isGreaterThanOrEqualTo(0.6 * forwarded.rateBefore());
        assertThat(afterBack).as("throughput back after the broker: " + forwarded.row()).isNotNull()
                .isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(local.failed()).as(local.row()).isEmpty();
        assertThat(local.unanswered()).as(local.row()).isZero();
        assertThat(local.longestWait()).as(local.row()).isLessThan(SLOW);
    }

    @Test
    @Order(6)
    void playersOfAKilledFrontendReconnectElsewhereAndBroadcastsDoNotWaitOnIt() throws Exception {
        java.util.Set<String> onIt = players.on(cluster.tcpPorts.get("connector-2"));
        long fault = System.nanoTime();
        cluster.server("connector-2").kill();

        Players.Report joins = observe("kill -9 frontend connector-2 with players (room.join on both)", JOINERS, fault,
                Duration.ofSeconds(12));
        List<Players.Reconnect> moved = players.reconnectsAfter(fault);

        assertThat(onIt).as("players on connector-2 when it was killed").hasSize(PLAYERS / 2);
        assertThat(moved).extracting(Players.Reconnect::player).as("players of connector-2 bound again elsewhere")
                .containsAll(onIt);
        long slowest = moved.stream().mapToLong(r -> r.boundNanos() - r.lostNanos()).max().orElse(0);
        report.add("| players of connector-2 reconnected to connector-1 and bound their uid | %d | | | | slowest %.1f s | | | |"
                .formatted(moved.size(), slowest / 1e9));
        assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(5));
        assertThat(joins.unanswered()).as(joins.row()).isZero();
        assertThat(joins.failed().getOrDefault("PIT-408", 0)).as("no broadcast waits on the dead frontend: " + joins.row()).isZero();
    }

    @Test
    @Order(7)
    void aFrontendRestartedWithItsIdAfterACrashIsQuiet() throws Exception {
        OsProcess connector2 = cluster.server("connector-2");
        int from = connector2.lines().size();
        cluster.start("connector-2", true);
        Thread.sleep(5000);

        List<String> restartLog = connector2.lines().subList(from, connector2.lines().size());
        long replayed = restartLog.stream().filter(l -> l.contains("No pending reply") || l.contains("late reply")).count();
        report.add("| frontend connector-2 restarted with its id after kill -9: log lines about old replies | %d | | | | | | | |"
                .formatted(replayed));
        assertThat(replayed).isZero();
        assertThat(restartLog.stream().filter(l -> l.contains(" ERROR ")).toList()).isEmpty();
    }

    @Test
    @Order(8)
    void withKafkaAndZookeeperGoneEveryServerStopsWithinItsShutdownTimeout() throws Exception {
        players.close();
        cluster.kafka().kill();
        cluster.zookeeper().kill();
        Map<String, Duration> stopped = new LinkedHashMap<>();
        List<Thread> stoppers = new ArrayList<>();
        for (String id : List.of("room-1", "room-2", "connector-1", "connector-2")) {
            Thread stopper = new Thread(() -> {
                try {
                    Duration took = cluster.server(id).stop(Duration.ofSeconds(90));
                    synchronized (stopped) {
                        stopped.put(id, took);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            stopper.start();
            stoppers.add(stopper);
        }
        for (Thread stopper : stoppers) {
            stopper.join();
        }
        report.add("| SIGTERM every server with Kafka and ZooKeeper gone: time to exit | %s | | | | | | | |".formatted(stopped));
        // The registry gets 3 s, the ZooKeeper client 3 s to close, Kafka is not waited for once known gone.
        Duration bound = ProcessCluster.SHUTDOWN_PHASE.plusSeconds(5);
        assertThat(stopped.values()).as("%s, bound %s", stopped, bound).allSatisfy(took -> assertThat(took).isNotNull().isLessThan(bound));
    }

    /** Asks backends through connector-1 until each of the given servers has answered. */
    private void awaitAnsweredBy(Set<String> servers, Duration timeout) throws Exception {
        awaitAnsweredBy("connector-1", servers, timeout);
    }

    /** Asks backends through a frontend until each of the given servers has answered. */
    private void awaitAnsweredBy(String frontend, Set<String> servers, Duration timeout) throws Exception {
        PitayaClient probe = PitayaClient.builder().tcp("127.0.0.1", cluster.tcpPorts.get(frontend))
                .requestTimeout(Duration.ofSeconds(5)).build();
        try {
            probe.connect().get(10, TimeUnit.SECONDS);
            Set<Object> seen = new HashSet<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!seen.containsAll(servers)) {
                assertThat(System.nanoTime()).as("answered by %s only, waiting for %s", seen, servers).isLessThan(deadline);
                try {
                    seen.add(probe.request("room.room.whoami", Map.of(), Map.class).get(6, TimeUnit.SECONDS).get("server"));
                } catch (Exception e) {
                    Thread.sleep(200);
                }
            }
        } finally {
            probe.close();
        }
    }
}
