package io.pitaya.bench.cluster;

import java.util.ArrayList;
import java.util.List;

import io.pitaya.bench.Args;
import io.pitaya.bench.KafkaProducerStats;
import io.pitaya.bench.cluster.backend.BackendApplication;
import io.pitaya.bench.cluster.frontend.FrontendApplication;
import io.pitaya.spring.cluster.InMemoryServiceRegistry;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The framework side of scenario 3: a frontend ({@code connector}, TCP acceptor) forwards every
 * request for {@code room.echo.echo} over Kafka to a backend ({@code room}, not a frontend) that
 * answers with the request body. Both servers are Spring contexts in this JVM with an in-JVM KRaft
 * broker (or the one at {@code --bootstrap}, e.g. a {@link KafkaBrokerProcess}) and an in-memory registry in
 * place of Consul, as in the framework's own cluster tests.
 * Cluster settings are the framework's defaults. Every 10 s it prints how its Kafka producers batch.
 *
 * <pre>
 * java io.pitaya.bench.cluster.ForwardBenchCluster --tcp-port 13270 --backends 1 [--bootstrap 127.0.0.1:13290]
 * </pre>
 */
public final class ForwardBenchCluster {

    private ForwardBenchCluster() {
    }

    public static void main(String[] argv) throws InterruptedException {
        Args args = Args.parse(argv);
        int tcpPort = args.integer("tcp-port", 13270);
        int backends = args.integer("backends", 1);
        String external = args.string("bootstrap", null);
        args.requireAllUsed();

        EmbeddedKafkaKraftBroker kafka = null;
        String bootstrap = external;
        if (bootstrap == null) {
            kafka = new EmbeddedKafkaKraftBroker(1, 1);
            kafka.afterPropertiesSet();
            bootstrap = kafka.getBrokersAsString();
        }
        EmbeddedKafkaKraftBroker ownBroker = kafka;
        InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        // One hook stops everything in order: the frontend, the backends, then the broker they talk to.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = contexts.size() - 1; i >= 0; i--) {
                contexts.get(i).close();
            }
            if (ownBroker != null) {
                destroyWithin(ownBroker, 5);
            }
        }));
        for (int i = 1; i <= backends; i++) {
            contexts.add(start(BackendApplication.class, "room-" + i, "room", false, 0, bootstrap, registry));
        }
        contexts.add(start(FrontendApplication.class, "connector-1", "connector", true, tcpPort, bootstrap, registry));
        System.out.println("cluster ready: frontend on TCP " + tcpPort + ", " + backends + " backend(s), Kafka at "
                + bootstrap + (ownBroker != null ? " (in this JVM)" : ""));
        while (true) {
            Thread.sleep(10_000);
            KafkaProducerStats.lines().forEach(line -> System.out.println("kafka " + line));
        }
    }

    /** The in-JVM broker's shutdown can hang; the process is exiting anyway, so it gets a time limit. */
    static void destroyWithin(EmbeddedKafkaKraftBroker kafka, int seconds) {
        Thread destroyer = new Thread(kafka::destroy, "kafka-destroy");
        destroyer.setDaemon(true);
        destroyer.start();
        try {
            destroyer.join(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ConfigurableApplicationContext start(Class<?> application, String id, String type, boolean frontend, int tcpPort,
                                                        String bootstrap, InMemoryServiceRegistry registry) {
        return start(application, id, type, frontend, tcpPort, bootstrap, registry, java.util.Map.of());
    }

    /**
     * @param beans beans of the server besides the registry, by name
     * @param extraProperties more settings, "key=value"
     */
    static ConfigurableApplicationContext start(Class<?> application, String id, String type, boolean frontend, int tcpPort,
                                                String bootstrap, InMemoryServiceRegistry registry, java.util.Map<String, Object> beans,
                                                String... extraProperties) {
        return new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .registerShutdownHook(false)
                .initializers(context -> {
                    context.getBeanFactory().registerSingleton("pitayaBenchRegistry", registry);
                    beans.forEach(context.getBeanFactory()::registerSingleton);
                })
                .properties(
                        "spring.config.name=bench-cluster",
                        "spring.main.banner-mode=off",
                        "spring.application.name=" + id,
                        "spring.kafka.bootstrap-servers=" + bootstrap,
                        "pitaya.mode=cluster",
                        "pitaya.server.id=" + id,
                        "pitaya.server.type=" + type,
                        "pitaya.server.frontend=" + frontend,
                        "pitaya.acceptor.tcp.port=" + tcpPort,
                        "pitaya.heartbeat.interval=5s")
                .properties(extraProperties)
                .run();
    }
}
