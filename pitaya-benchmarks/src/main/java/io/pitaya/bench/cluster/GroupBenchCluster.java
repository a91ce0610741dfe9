package io.pitaya.bench.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pitaya.bench.Args;
import io.pitaya.bench.cluster.backend.BackendApplication;
import io.pitaya.bench.cluster.frontend.FrontendApplication;
import io.pitaya.spring.cluster.InMemoryServiceRegistry;
import io.pitaya.spring.internal.cluster.zookeeper.ZookeeperGroupStore;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cluster side of scenario 4's cluster rows: one backend ({@code room}, routes {@code room.bench.join} and
 * {@code room.bench.broadcast}) and two frontends ({@code connector-1}, {@code connector-2}) over Kafka (the broker at
 * {@code --bootstrap}, e.g. a {@link KafkaBrokerProcess}), sharing an in-memory registry and bindings. The group lives in:
 * <ul>
 * <li>{@code memory}: the backend's memory; its broadcast looks up each member's frontend and sends one push per member;</li>
 * <li>{@code zookeeper}: a ZooKeeper server started in this process (the store of {@code pitaya.cluster.groups.store=cluster});
 * the broadcast reads the members there once and sends each frontend one message for all of its members.</li>
 * </ul>
 *
 * <pre>
 * java io.pitaya.bench.cluster.GroupBenchCluster --tcp-port 13272 --tcp-port2 13273 --bootstrap 127.0.0.1:13290 --store zookeeper
 * </pre>
 */
public final class GroupBenchCluster {

    private GroupBenchCluster() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int port1 = args.integer("tcp-port", 13272);
        int port2 = args.integer("tcp-port2", 13273);
        String bootstrap = args.string("bootstrap", null);
        String store = args.string("store", "zookeeper");
        args.requireAllUsed();
        if (bootstrap == null) {
            throw new IllegalArgumentException("--bootstrap: the Kafka broker (run.sh starts a KafkaBrokerProcess)");
        }
        InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
        List<AutoCloseable> resources = new ArrayList<>();
        TestingServer zookeeper = switch (store) {
            case "memory" -> null;
            case "zookeeper" -> new TestingServer(true);
            default -> throw new IllegalArgumentException("--store is memory or zookeeper, not " + store);
        };
        if (zookeeper != null) {
            resources.add(zookeeper);
        }
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = contexts.size() - 1; i >= 0; i--) {
                contexts.get(i).close();
            }
            for (int i = resources.size() - 1; i >= 0; i--) {
                try {
                    resources.get(i).close();
                } catch (Exception e) {
                    // Exiting.
                }
            }
        }));
        contexts.add(start(BackendApplication.class, "room-1", "room", false, 0, bootstrap, registry, zookeeper, resources));
        contexts.add(start(FrontendApplication.class, "connector-1", "connector", true, port1, bootstrap, registry, zookeeper, resources));
        contexts.add(start(FrontendApplication.class, "connector-2", "connector", true, port2, bootstrap, registry, zookeeper, resources));
        System.out.println("cluster ready: frontends on TCP " + port1 + " and " + port2 + ", group store " + store + ", Kafka at " + bootstrap);
        Thread.currentThread().join();
    }

    /** A server; with ZooKeeper, its own client and the cluster group store on it, as in a real cluster. */
    private static ConfigurableApplicationContext start(Class<?> application, String id, String type, boolean frontend, int tcpPort,
                                                        String bootstrap, InMemoryServiceRegistry registry, TestingServer zookeeper,
                                                        List<AutoCloseable> resources) {
        if (zookeeper == null) {
            return ForwardBenchCluster.start(application, id, type, frontend, tcpPort, bootstrap, registry, Map.of(),
                    "pitaya.cluster.groups.store=memory");
        }
        CuratorFramework curator = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
        curator.start();
        resources.add(curator);
        try {
            curator.blockUntilConnected();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ForwardBenchCluster.start(application, id, type, frontend, tcpPort, bootstrap, registry,
                Map.of("pitayaBenchGroups", new ZookeeperGroupStore(curator, ZookeeperGroupStore.ROOT)), "pitaya.cluster.groups.store=cluster");
    }
}
