package io.pitaya.spring.internal.cluster.consul.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.ServiceDiscovery;
import io.pitaya.spring.cluster.SessionBindingStore;
import io.pitaya.spring.internal.cluster.consul.ConsulSessionBindingStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.consul.ConsulAutoConfiguration;
import org.springframework.cloud.consul.ConsulClient;
import org.springframework.cloud.consul.model.http.health.Check;
import org.springframework.cloud.consul.model.http.health.HealthService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.consul.ConsulContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server in cluster mode against a real Consul agent: registration with pitaya's metadata, a TTL
 * check that stays passing, the uid bindings in the KV store, and deregistration when it stops.
 * Needs a Docker engine; skipped where there is none.
 */
@Testcontainers(disabledWithoutDocker = true)
class ConsulContainerTests {

    @Container
    static final ConsulContainer consul = new ConsulContainer("hashicorp/consul:1.20");

    static EmbeddedKafkaKraftBroker kafka;
    static ConsulClient client;

    @BeforeAll
    static void startKafka() {
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        client = ConsulAutoConfiguration.createNewConsulClient(ConsulAutoConfiguration.createConsulClientSettings(
                "http://" + consul.getHost() + ":" + consul.getMappedPort(8500), null).adapter());
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    void aServerRegistersStaysPassingKeepsBindingsAndDeregisters() {
        ConfigurableApplicationContext server = new SpringApplicationBuilder(ChatServer.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                        "spring.cloud.consul.host=" + consul.getHost(),
                        "spring.cloud.consul.port=" + consul.getMappedPort(8500),
                        "spring.cloud.consul.discovery.heartbeat.ttl=2s",
                        "pitaya.mode=cluster",
                        "spring.cloud.zookeeper.enabled=false",
                        "pitaya.server.id=chat-1",
                        "pitaya.server.type=chat",
                        "pitaya.server.frontend=false",
                        "pitaya.server.hostname=chat-host",
                        "pitaya.server.metadata.region=eu",
                        "pitaya.cluster.discovery.resync-interval=500ms",
                        "pitaya.cluster.drain-delay=0s")
                .run();
        try {
            ServiceDiscovery discovery = server.getBean(ServiceDiscovery.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(discovery.server("chat-1"))
                    .isEqualTo(new ServerInfo("chat-1", "chat", false, "chat-host", Map.of("region", "eu"))));
            // Longer than the TTL: only the passes keep the check passing.
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> passing("chat"));

            SessionBindingStore bindings = server.getBean(SessionBindingStore.class);
            assertThat(bindings).isInstanceOf(ConsulSessionBindingStore.class);
            assertThat(bindings.bind("alice", "connector-1")).isNull();
            assertThat(bindings.frontendOf("alice")).isEqualTo("connector-1");
            assertThat(bindings.bind("alice", "connector-2")).isEqualTo("connector-1");
            bindings.unbind("alice", "connector-1");
            assertThat(bindings.frontendOf("alice")).isEqualTo("connector-2");
            bindings.unbind("alice", "connector-2");
            assertThat(bindings.frontendOf("alice")).isNull();
        } finally {
            server.close();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(instances("chat")).isEmpty());
    }

    static List<HealthService> instances(String service) {
        List<HealthService> body = client.getHealthServices(service).getBody();
        return body != null ? body : List.of();
    }

    static boolean passing(String service) {
        List<Check> checks = client.getHealthChecksForService(service).getBody();
        return checks != null && !checks.isEmpty() && checks.stream().allMatch(c -> c.getStatus() == Check.CheckStatus.PASSING);
    }

    /** A backend of type "chat" with nothing of its own. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ChatServer {
    }
}
