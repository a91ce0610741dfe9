package io.pitaya.spring.clusterit;

import java.util.ArrayList;
import java.util.List;

import io.pitaya.spring.cluster.InMemoryServiceRegistry;
import io.pitaya.spring.clusterit.backend.RoomApplication;
import io.pitaya.spring.clusterit.frontend.ConnectorApplication;
import io.pitaya.spring.internal.acceptor.tcp.TcpAcceptor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real cluster in one JVM: a KRaft broker, and each server its own Spring context, sharing an
 * in-memory registry in place of Consul.
 */
final class InJvmCluster implements AutoCloseable {

    // As many production brokers run: topics are created on purpose, not by whoever names one first.
    final EmbeddedKafkaKraftBroker kafka = (EmbeddedKafkaKraftBroker) new EmbeddedKafkaKraftBroker(1, 1)
            .brokerProperty("auto.create.topics.enable", "false");
    final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    final java.util.Map<String, RecordedObservations> observations = new java.util.concurrent.ConcurrentHashMap<>();

    private final String[] extraProperties;

    InJvmCluster(String... extraProperties) {
        this.extraProperties = extraProperties;
        kafka.afterPropertiesSet();
    }

    ConfigurableApplicationContext frontend(String id) {
        return start(ConnectorApplication.class, id, "connector", true);
    }

    ConfigurableApplicationContext backend(String id) {
        return start(RoomApplication.class, id, "room", false);
    }

    static int tcpPort(ConfigurableApplicationContext frontend) {
        return frontend.getBean(TcpAcceptor.class).port();
    }

    private ConfigurableApplicationContext start(Class<?> app, String id, String type, boolean frontend) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(app)
                .web(WebApplicationType.NONE)
                .initializers(ctx -> {
                    ctx.getBeanFactory().registerSingleton("pitayaTestRegistry", registry);
                    ctx.getBeanFactory().registerSingleton("recordedObservations",
                            observations.computeIfAbsent(id, i -> new RecordedObservations()));
                })
                .properties(
                        "spring.application.name=" + id,
                        "spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                        "spring.cloud.consul.enabled=false",
                        "spring.cloud.zookeeper.enabled=false",
                        "pitaya.mode=cluster",
                        "pitaya.server.id=" + id,
                        "pitaya.server.type=" + type,
                        "pitaya.server.frontend=" + frontend,
                        "pitaya.acceptor.tcp.port=0",
                        "pitaya.naming=as-written",
                        "pitaya.cluster.rpc.timeout=2s",
                        "pitaya.cluster.outlier.ejection-time=3s",
                        "pitaya.cluster.drain-delay=200ms",
                        "pitaya.session.kick-route=onKick")
                .properties(extraProperties)
                .run();
        synchronized (contexts) {
            contexts.add(context);
        }
        return context;
    }

    @Override
    public void close() {
        synchronized (contexts) {
            contexts.forEach(c -> {
                if (c.isActive()) {
                    c.close();
                }
            });
        }
        kafka.destroy();
    }
}
