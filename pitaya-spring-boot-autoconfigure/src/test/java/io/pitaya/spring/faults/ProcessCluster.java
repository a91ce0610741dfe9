package io.pitaya.spring.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cluster of separate OS processes on loopback: one ZooKeeper server, one standalone KRaft Kafka broker
 * (both from the jars of this build), and pitaya servers of the test applications registering in ZooKeeper
 * and calling each other over Kafka. Logs under {@code target/faults/}.
 */
final class ProcessCluster implements AutoCloseable {

    static final Duration RPC_TIMEOUT = Duration.ofSeconds(2);
    static final Duration EJECTION_TIME = Duration.ofSeconds(5);
    static final Duration SHUTDOWN_PHASE = Duration.ofSeconds(10);

    final Path dir;
    final int zookeeperPort = freePort();
    final int kafkaPort = freePort();
    final int controllerPort = freePort();
    private OsProcess zookeeper;
    private OsProcess kafka;
    final Map<String, OsProcess> servers = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<String, Integer> tcpPorts = new java.util.concurrent.ConcurrentHashMap<>();
    /** More arguments for every server, "--key=value". */
    final List<String> extraArguments = new java.util.concurrent.CopyOnWriteArrayList<>();

    ProcessCluster(Path dir) throws IOException {
        this.dir = dir;
        // A fresh cluster: data and logs of an earlier run (other ports) must not be picked up.
        if (Files.exists(dir)) {
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }

    void startZookeeper() throws Exception {
        Path data = Files.createDirectories(dir.resolve("zookeeper-data"));
        zookeeper = new OsProcess("zookeeper", dir, OsProcess.java("128m", "org.apache.zookeeper.server.ZooKeeperServerMain",
                List.of(Integer.toString(zookeeperPort), data.toString()))).start();
        zookeeper.awaitLine("binding to port", 0, Duration.ofSeconds(30));
    }

    void startKafka() throws Exception {
        Path properties = dir.resolve("kafka.properties");
        if (!Files.exists(properties)) {
            Files.writeString(properties, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + kafkaPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + kafkaPort,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "log.dirs=" + dir.resolve("kafka-data"),
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "num.partitions=1", ""));
            OsProcess format = new OsProcess("kafka-format", dir, OsProcess.java("256m", "kafka.tools.StorageTool",
                    List.of("format", "-t", "4L6g3nShT-eMCtK--X86sw", "-c", properties.toString(), "--standalone"))).start();
            format.awaitLine("Formatting", 0, Duration.ofSeconds(60));
            while (format.alive()) {
                Thread.sleep(50);
            }
        }
        int from = kafka == null ? 0 : kafka.lines().size();
        kafka = new OsProcess("kafka", dir, OsProcess.java("512m", "kafka.Kafka", List.of(properties.toString()))).start();
        kafka.awaitLine("Transition from STARTING to STARTED", from, Duration.ofSeconds(60));
    }

    OsProcess kafka() {
        return kafka;
    }

    OsProcess zookeeper() {
        return zookeeper;
    }

    /** Starts a server and waits until it serves. */
    synchronized void register(String id, OsProcess server) {
        servers.put(id, server);
    }

    void start(String id, boolean frontend) throws Exception {
        OsProcess existing;
        synchronized (this) {
            existing = servers.get(id);
        }
        int from = existing == null ? 0 : existing.lines().size();
        OsProcess server = existing != null ? existing : new OsProcess(id, dir, OsProcess.java("256m", FaultServer.class.getName(),
                arguments(id, frontend)));
        register(id, server.start());
        String ready = server.awaitLine(FaultServer.READY, from, Duration.ofSeconds(90));
        if (frontend) {
            putPort(id, Integer.parseInt(ready.substring(ready.indexOf(FaultServer.READY) + FaultServer.READY.length()).trim()));
        }
    }

    /** Starts servers at once and waits for all. */
    void startAll(Map<String, Boolean> frontends) throws Exception {
        List<Thread> starters = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        frontends.forEach((id, frontend) -> {
            Thread starter = new Thread(() -> {
                try {
                    start(id, frontend);
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "start-" + id);
            starter.start();
            starters.add(starter);
        });
        for (Thread starter : starters) {
            starter.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private synchronized void putPort(String id, int port) {
        tcpPorts.put(id, port);
    }

    private List<String> arguments(String id, boolean frontend) {
        List<String> arguments = new ArrayList<>(List.of(frontend ? "frontend" : "backend",
                "--spring.application.name=" + id,
                "--spring.kafka.bootstrap-servers=127.0.0.1:" + kafkaPort,
                "--spring.cloud.consul.enabled=false",
                "--spring.cloud.zookeeper.connect-string=127.0.0.1:" + zookeeperPort,
                "--spring.lifecycle.timeout-per-shutdown-phase=" + SHUTDOWN_PHASE.toSeconds() + "s",
                "--pitaya.mode=cluster",
                "--pitaya.server.id=" + id,
                "--pitaya.server.type=" + (frontend ? "connector" : "room"),
                "--pitaya.server.frontend=" + frontend,
                "--pitaya.acceptor.tcp.port=" + (tcpPorts.containsKey(id) ? tcpPorts.get(id) : 0),
                "--pitaya.naming=as-written",
                "--pitaya.cluster.rpc.timeout=" + RPC_TIMEOUT.toSeconds() + "s",
                "--pitaya.cluster.outlier.ejection-time=" + EJECTION_TIME.toSeconds() + "s",
                "--pitaya.cluster.drain-delay=200ms",
                "--logging.level.root=warn",
                "--logging.level.io.pitaya=info"));
        arguments.addAll(extraArguments);
        return arguments;
    }

    OsProcess server(String id) {
        return servers.get(id);
    }

    /** @return how many lines each server's log has now */
    Map<String, Integer> logMarks() throws IOException {
        Map<String, Integer> marks = new java.util.TreeMap<>();
        for (Map.Entry<String, OsProcess> server : servers.entrySet()) {
            marks.put(server.getKey(), server.getValue().lines().size());
        }
        return marks;
    }

    /**
     * @param marks line counts taken earlier
     * @return per server, the WARN and ERROR lines written since (stack trace lines not counted)
     */
    Map<String, Integer> warningsSince(Map<String, Integer> marks) throws IOException {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (Map.Entry<String, OsProcess> server : servers.entrySet()) {
            List<String> lines = server.getValue().lines();
            int from = Math.min(marks.getOrDefault(server.getKey(), 0), lines.size());
            counts.put(server.getKey(), (int) lines.subList(from, lines.size()).stream()
                    .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).count());
        }
        return counts;
    }

    @Override
    public void close() throws Exception {
        for (OsProcess server : servers.values()) {
            if (server.alive()) {
                server.kill();
            }
        }
        if (kafka != null && kafka.alive()) {
            kafka.kill();
        }
        if (zookeeper != null && zookeeper.alive()) {
            zookeeper.kill();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
