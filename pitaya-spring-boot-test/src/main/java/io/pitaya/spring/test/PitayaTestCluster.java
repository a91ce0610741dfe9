package io.pitaya.spring.test;

import java.util.ArrayList;
import java.util.List;

import io.pitaya.spring.cluster.InMemoryServiceRegistry;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real cluster in one JVM for a game's tests: an embedded Kafka broker (KRaft), and each server its own Spring
 * application sharing an in-memory registry in place of Consul or ZooKeeper. Servers talk over Kafka exactly as in
 * production; only discovery is in memory. Needs {@code spring-kafka-test} and Spring Cloud Commons on the test class
 * path.
 *
 * <pre>{@code
 * try (PitayaTestCluster cluster = new PitayaTestCluster()) {
 *     ConfigurableApplicationContext connector = cluster.frontend(ConnectorApplication.class, "connector-1", "connector");
 *     cluster.backend(RoomApplication.class, "room-1", "room");
 *     try (PitayaClients clients = cluster.clients(connector)) {
 *         PitayaClient player = clients.tcp();
 *         ...                                    // room.* routes are forwarded to room-1 over Kafka
 *     }
 * }
 * }</pre>
 */
public final class PitayaTestCluster implements AutoCloseable {

    private final EmbeddedKafkaKraftBroker kafka;
    private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    private final List<ConfigurableApplicationContext> servers = new ArrayList<>();
    private final String[] properties;

    /**
     * Starts the broker.
     * @param properties {@code key=value} pairs given to every server (after the cluster's own)
     */
    public PitayaTestCluster(String... properties) {
        this.properties = properties.clone();
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
    }

    /**
     * Starts a frontend: its TCP acceptor on a free port, no web server.
     * @param application the server's {@code @SpringBootApplication}
     * @param id the server id
     * @param type the server type
     * @param properties {@code key=value} pairs for this server only
     * @return the running server
     */
    public ConfigurableApplicationContext frontend(Class<?> application, String id, String type, String... properties) {
        return start(application, id, type, true, properties);
    }

    /**
     * Starts a backend, without acceptors.
     * @param application the server's {@code @SpringBootApplication}
     * @param id the server id
     * @param type the server type
     * @param properties {@code key=value} pairs for this server only
     * @return the running server
     */
    public ConfigurableApplicationContext backend(Class<?> application, String id, String type, String... properties) {
        return start(application, id, type, false, properties);
    }

    /**
     * @param frontend a frontend of this cluster
     * @return clients of it; close them when done
     */
    public PitayaClients clients(ConfigurableApplicationContext frontend) {
        return PitayaClients.of(frontend);
    }

    /** @return the broker's bootstrap servers, for a test's own Kafka clients */
    public String kafkaBootstrapServers() {
        return kafka.getBrokersAsString();
    }

    /** @return the registry every server of this cluster registers in and discovers from */
    public InMemoryServiceRegistry registry() {
        return registry;
    }

    private ConfigurableApplicationContext start(Class<?> application, String id, String type, boolean frontend, String... own) {
        ConfigurableApplicationContext server = new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .initializers(context -> context.getBeanFactory().registerSingleton("pitayaTestClusterRegistry", registry))
                .properties(
                        "spring.application.name=" + id,
                        "spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                        "spring.cloud.consul.enabled=false",
                        "spring.cloud.zookeeper.enabled=false",
                        "pitaya.mode=cluster",
                        "pitaya.server.id=" + id,
                        "pitaya.server.type=" + type,
                        "pitaya.server.frontend=" + frontend,
                        "pitaya.acceptor.tcp.port=0")
                .properties(properties)
                .properties(own)
                .run();
        synchronized (servers) {
            servers.add(server);
        }
        return server;
    }

    /** Stops every server still running, newest first, then the broker. */
    @Override
    public void close() {
        synchronized (servers) {
            for (int i = servers.size() - 1; i >= 0; i--) {
                if (servers.get(i).isActive()) {
                    servers.get(i).close();
                }
            }
            servers.clear();
        }
        kafka.destroy();
    }
}
