package io.pitaya.spring.internal.cluster.consul;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.pitaya.spring.cluster.ServerInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.InetUtilsProperties;
import org.springframework.cloud.consul.ConsulAutoConfiguration;
import org.springframework.cloud.consul.ConsulClient;
import org.springframework.cloud.consul.discovery.ConsulDiscoveryProperties;
import org.springframework.cloud.consul.discovery.HeartbeatProperties;
import org.springframework.cloud.consul.serviceregistry.ConsulRegistration;
import org.springframework.cloud.consul.serviceregistry.ConsulServiceRegistry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Registration through Spring Cloud's registry and the TTL passes, against WireMock answering as Consul. */
class ConsulServerRegistryTests {

    static final String REGISTER = "/v1/agent/service/register";
    static final String PASS = "/v1/agent/check/pass/service:chat-1";
    static final String DEREGISTER = "/v1/agent/service/deregister/chat-1";

    static WireMockServer consul;
    ConsulServerRegistry registry;
    ConsulRegistration registration;

    @BeforeAll
    static void startConsul() {
        consul = ConsulStub.start();
    }

    @AfterAll
    static void stopConsul() {
        consul.stop();
    }

    @BeforeEach
    void setUp() {
        consul.resetAll();
        consul.stubFor(put(REGISTER).willReturn(ok()));
        consul.stubFor(put(DEREGISTER).willReturn(ok()));
        ConsulClient client = ConsulAutoConfiguration.createNewConsulClient(
                ConsulAutoConfiguration.createConsulClientSettings(consul.baseUrl(), null).adapter());
        ConsulDiscoveryProperties properties = new ConsulDiscoveryProperties(new InetUtils(new InetUtilsProperties()));
        registry = new ConsulServerRegistry(new ConsulServiceRegistry(client, properties, null, new HeartbeatProperties()),
                client, null, Duration.ofMillis(100));
        registration = new ConsulRegistrationFactory(properties, () -> 0, Duration.ofSeconds(1), "1m")
                .apply(new ServerInfo("chat-1", "chat", false, "chat-host", Map.of()));
    }

    @Test
    void theCheckIsPassedFromRegistrationUntilDeregistration() throws Exception {
        consul.stubFor(put(PASS).willReturn(ok()));

        registry.register(registration);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> consul.verify(
                com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly(3), putRequestedFor(urlEqualTo(PASS))));
        registry.deregister(registration);

        consul.verify(1, putRequestedFor(urlEqualTo(DEREGISTER)));
        List<String> newestFirst = consul.getAllServeEvents().stream().map(ServeEvent::getRequest).map(r -> r.getUrl()).toList();
        assertThat(newestFirst.get(0)).as("no pass after the deregistration").isEqualTo(DEREGISTER);
        assertThat(newestFirst.get(newestFirst.size() - 1)).isEqualTo(REGISTER);
        int passes = consul.findAll(putRequestedFor(urlEqualTo(PASS))).size();
        // Deregistration returned after the passes stopped: none can come later.
        Thread.sleep(300);
        assertThat(consul.findAll(putRequestedFor(urlEqualTo(PASS)))).hasSize(passes);
    }

    @Test
    void whenConsulNoLongerKnowsTheServiceThenItIsRegisteredAgain() {
        consul.stubFor(put(PASS).willReturn(aResponse().withStatus(404).withBody("Unknown check ID \"service:chat-1\"")));

        registry.register(registration);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> consul.verify(
                com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly(2), putRequestedFor(urlEqualTo(REGISTER))));
        registry.deregister(registration);

        consul.verify(1, putRequestedFor(urlEqualTo(DEREGISTER)));
    }

    @Test
    void whenPassesFailThenTheyGoOn() {
        consul.stubFor(put(PASS).willReturn(aResponse().withStatus(500).withBody("agent busy")));

        registry.register(registration);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> consul.verify(
                com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly(3), putRequestedFor(urlEqualTo(PASS))));
        registry.deregister(registration);

        consul.verify(1, putRequestedFor(urlEqualTo(REGISTER)));
    }
}
