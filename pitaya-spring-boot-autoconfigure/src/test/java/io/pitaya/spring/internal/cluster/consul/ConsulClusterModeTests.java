package io.pitaya.spring.internal.cluster.consul;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.ServiceDiscovery;
import io.pitaya.spring.cluster.SessionBindingStore;
import io.pitaya.spring.internal.cluster.discovery.ServerRegistrar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server in cluster mode with Spring Cloud Consul, against WireMock answering as a Consul agent's HTTP
 * API (and a real Kafka broker for the RPC that cluster mode starts): what it registers, that it keeps
 * its TTL check passing, that it deregisters when it stops, and how Consul's catalog becomes the view
 * of the cluster. The last test stops the server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsulClusterModeTests {

    static final String REGISTER = "/v1/agent/service/register";
    static final String PASS = "/v1/agent/check/pass/service:chat-1";
    static final String DEREGISTER = "/v1/agent/service/deregister/chat-1";

    static WireMockServer consul;
    static EmbeddedKafkaKraftBroker kafka;
    static ConfigurableApplicationContext server;

    @BeforeAll
    static void start() {
        consul = ConsulStub.start();
        consul.stubFor(put(REGISTER).willReturn(ok()));
        consul.stubFor(put(PASS).willReturn(ok()));
        consul.stubFor(put(DEREGISTER).willReturn(ok()));
        consul.stubFor(get(urlPathEqualTo("/v1/catalog/services")).willReturn(okJson("""
                {"consul": [], "room": ["pitaya"], "web": []}
                """).withHeader("X-Consul-Index", "7")));
        consul.stubFor(get(urlPathEqualTo("/v1/health/service/room")).willReturn(okJson("""
                [%s, %s, %s]
                """.formatted(
                instance("room-1", "room", "10.0.0.1", Map.of("pitaya-server-id", "room-1", "pitaya-frontend", "false",
                        "pitaya-hostname", "room-host-1", "shard", "a")),
                instance("room-2", "room", "10.0.0.2", Map.of("pitaya-server-id", "room-2", "pitaya-frontend", "false",
                        "pitaya-hostname", "room-host-2")),
                instance("room-sidecar", "room", "10.0.0.3", Map.of("version", "1"))))));
        consul.stubFor(get(urlPathEqualTo("/v1/health/service/web")).willReturn(okJson("[%s]".formatted(
                instance("web-1", "web", "10.0.0.4", Map.of())))));
        consul.stubFor(get(urlPathEqualTo("/v1/health/service/consul")).willReturn(okJson("[%s]".formatted(
                instance("consul", "consul", "10.0.0.9", Map.of())))));

        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        server = new SpringApplicationBuilder(ChatServer.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.application.name=chat-app",
                        "spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                        "spring.cloud.consul.host=localhost",
                        "spring.cloud.consul.port=" + consul.port(),
                        "spring.cloud.consul.discovery.tags=pitaya,game",
                        "spring.cloud.consul.discovery.heartbeat.ttl=3s",
                        "pitaya.mode=cluster",
                        "spring.cloud.zookeeper.enabled=false",
                        "pitaya.server.id=chat-1",
                        "pitaya.server.type=chat",
                        "pitaya.server.frontend=false",
                        "pitaya.server.hostname=chat-host",
                        "pitaya.server.metadata.region=eu",
                        "pitaya.cluster.drain-delay=0s")
                .run();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
        if (consul != null) {
            consul.stop();
        }
    }

    @Test
    @Order(1)
    void consulBeansReplaceTheInMemoryOnes() {
        assertThat(server.getBean(SessionBindingStore.class)).isInstanceOf(ConsulSessionBindingStore.class);
        assertThat(server.getBeansOfType(ServerRegistrar.class)).hasSize(1);
    }

    @Test
    @Order(2)
    void theServerIsRegisteredOnceAsAnInstanceOfItsTypeWithATtlCheck() {
        List<LoggedRequest> registrations = consul.findAll(putRequestedFor(urlEqualTo(REGISTER)));
        assertThat(registrations).as("only this server, not the application").hasSize(1);
        JsonNode service = JsonMapper.builder().build().readTree(registrations.get(0).getBodyAsString());

        assertThat(service.get("ID").asString()).isEqualTo("chat-1");
        assertThat(service.get("Name").asString()).isEqualTo("chat");
        assertThat(service.get("Address").asString()).isEqualTo("chat-host");
        assertThat(service.get("Port").asInt()).isZero();
        assertThat(service.get("Tags").values()).extracting(JsonNode::asString).containsExactly("pitaya", "game");
        assertThat(service.get("Meta").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("pitaya-server-id", "pitaya-frontend", "pitaya-hostname", "region");
        assertThat(service.get("Meta").get("pitaya-server-id").asString()).isEqualTo("chat-1");
        assertThat(service.get("Meta").get("pitaya-frontend").asString()).isEqualTo("false");
        assertThat(service.get("Meta").get("pitaya-hostname").asString()).isEqualTo("chat-host");
        assertThat(service.get("Meta").get("region").asString()).isEqualTo("eu");
        assertThat(service.get("Check").get("TTL").asString()).isEqualTo("3s");
        assertThat(service.get("Check").get("DeregisterCriticalServiceAfter").asString()).isEqualTo("1m");
        assertThat(service.get("Check").get("Status").asString()).isEqualTo("passing");
    }

    @Test
    @Order(3)
    void theTtlCheckIsKeptPassing() {
        // TTL 3s: a pass every second.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> consul.verify(moreThanOrExactly(2), putRequestedFor(urlEqualTo(PASS))));
    }

    @Test
    @Order(4)
    void theViewHoldsThePitayaServersOfTheCatalogOnly() {
        ServiceDiscovery discovery = server.getBean(ServiceDiscovery.class);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(discovery.servers("room")).hasSize(2));

        assertThat(discovery.servers("room")).containsExactlyInAnyOrder(
                new ServerInfo("room-1", "room", false, "room-host-1", Map.of("shard", "a")),
                new ServerInfo("room-2", "room", false, "room-host-2", Map.of()));
        assertThat(discovery.server("room-sidecar")).isNull();
        assertThat(discovery.servers("web")).isEmpty();
        assertThat(discovery.all()).extracting(ServerInfo::id).containsExactlyInAnyOrder("room-1", "room-2");
    }

    @Test
    @Order(5)
    void stoppingDeregistersAfterTheLastPass() {
        server.close();

        consul.verify(1, putRequestedFor(urlEqualTo(DEREGISTER)));
        List<String> agentCalls = consul.getAllServeEvents().stream().map(ServeEvent::getRequest).map(LoggedRequest::getUrl)
                .filter(url -> url.startsWith("/v1/agent/")).toList();
        assertThat(agentCalls.get(0)).as("newest agent call").isEqualTo(DEREGISTER);
        assertThat(consul.findAllUnmatchedRequests()).as("calls WireMock did not answer as Consul").isEmpty();
    }

    /** An entry of /v1/health/service/&lt;name&gt; as Consul returns it. */
    static String instance(String id, String name, String address, Map<String, String> meta) {
        JsonMapper json = JsonMapper.builder().build();
        return """
                {"Node": {"ID": "n1", "Node": "node-1", "Address": "10.0.0.100", "Datacenter": "dc1"},
                 "Service": {"ID": "%s", "Service": "%s", "Tags": [], "Address": "%s", "Meta": %s, "Port": 0},
                 "Checks": [{"Node": "node-1", "CheckID": "service:%s", "Status": "passing"}]}
                """.formatted(id, name, address, json.writeValueAsString(meta), id);
    }

    /** A backend of type "chat" with nothing of its own. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ChatServer {
    }
}
