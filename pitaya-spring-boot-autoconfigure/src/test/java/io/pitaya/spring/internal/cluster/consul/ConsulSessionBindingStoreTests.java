package io.pitaya.spring.internal.cluster.consul;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.consul.ConsulAutoConfiguration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/** The bindings in Consul's KV store, against WireMock answering as Consul's HTTP API does. */
class ConsulSessionBindingStoreTests {

    static WireMockServer consul;
    ConsulSessionBindingStore store;

    @BeforeAll
    static void startConsul() {
        consul = ConsulStub.start();
    }

    @AfterAll
    static void stopConsul() {
        consul.stop();
    }

    @BeforeEach
    void reset() {
        consul.resetAll();
        store = new ConsulSessionBindingStore(ConsulAutoConfiguration.createConsulClientSettings(consul.baseUrl(), null).adapter(),
                "secret-token");
    }

    @Test
    void bindCreatesTheKeyOnlyIfItIsAbsentWithTheToken() {
        consul.stubFor(get("/v1/kv/pitaya/bindings/alice").willReturn(aResponse().withStatus(404)));
        consul.stubFor(put("/v1/kv/pitaya/bindings/alice?cas=0").willReturn(okJson("true")));

        assertThat(store.bind("alice", "connector-1")).isNull();

        consul.verify(putRequestedFor(urlEqualTo("/v1/kv/pitaya/bindings/alice?cas=0"))
                .withRequestBody(equalTo("connector-1"))
                .withHeader("X-Consul-Token", equalTo("secret-token")));
    }

    @Test
    void bindReplacesAtTheIndexItReadAndAnswersThePreviousFrontend() {
        consul.stubFor(stored("alice", "connector-1", 42));
        consul.stubFor(put("/v1/kv/pitaya/bindings/alice?cas=42").willReturn(okJson("true")));

        assertThat(store.bind("alice", "connector-2")).isEqualTo("connector-1");

        consul.verify(putRequestedFor(urlEqualTo("/v1/kv/pitaya/bindings/alice?cas=42")).withRequestBody(equalTo("connector-2")));
    }

    @Test
    void whenAnotherFrontendBindsBetweenReadAndWriteThenBindReadsAgain() {
        consul.stubFor(stored("alice", "connector-1", 42).inScenario("race").whenScenarioStateIs(STARTED));
        consul.stubFor(put("/v1/kv/pitaya/bindings/alice?cas=42").inScenario("race").whenScenarioStateIs(STARTED)
                .willReturn(okJson("false")).willSetStateTo("rebound"));
        consul.stubFor(stored("alice", "connector-3", 43).inScenario("race").whenScenarioStateIs("rebound"));
        consul.stubFor(put("/v1/kv/pitaya/bindings/alice?cas=43").inScenario("race").whenScenarioStateIs("rebound")
                .willReturn(okJson("true")));

        assertThat(store.bind("alice", "connector-2")).as("the frontend it really replaced").isEqualTo("connector-3");
    }

    @Test
    void aConfiguredPrefixKeepsClustersSharingOneConsulApart() {
        consul.stubFor(get("/v1/kv/cluster-b/bindings/alice").willReturn(aResponse().withStatus(404)));
        consul.stubFor(put("/v1/kv/cluster-b/bindings/alice?cas=0").willReturn(okJson("true")));
        ConsulSessionBindingStore clusterB = new ConsulSessionBindingStore(
                ConsulAutoConfiguration.createConsulClientSettings(consul.baseUrl(), null).adapter(), null, "cluster-b/bindings");

        clusterB.bind("alice", "connector-9");

        consul.verify(putRequestedFor(urlEqualTo("/v1/kv/cluster-b/bindings/alice?cas=0")).withRequestBody(equalTo("connector-9")));
    }

    @Test
    void frontendOfReadsTheBindingAndIsNullWhenThereIsNone() {
        consul.stubFor(stored("alice", "connector-1", 42));
        consul.stubFor(get("/v1/kv/pitaya/bindings/bob").willReturn(aResponse().withStatus(404)));

        assertThat(store.frontendOf("alice")).isEqualTo("connector-1");
        assertThat(store.frontendOf("bob")).isNull();
    }

    @Test
    void unbindDeletesWithTheModifyIndexItRead() {
        consul.stubFor(stored("alice", "connector-1", 42));
        consul.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlPathMatching("/v1/kv/.*")).willReturn(okJson("true")));

        store.unbind("alice", "connector-1");

        consul.verify(deleteRequestedFor(urlEqualTo("/v1/kv/pitaya/bindings/alice?cas=42"))
                .withHeader("X-Consul-Token", equalTo("secret-token")));
    }

    @Test
    void unbindLeavesTheBindingOfAnotherFrontend() {
        consul.stubFor(stored("alice", "connector-2", 43));

        store.unbind("alice", "connector-1");

        consul.verify(0, deleteRequestedFor(anyUrl()));
    }

    @Test
    void unbindOfAnUnknownUidDeletesNothing() {
        consul.stubFor(get("/v1/kv/pitaya/bindings/bob").willReturn(aResponse().withStatus(404)));

        store.unbind("bob", "connector-1");

        consul.verify(0, deleteRequestedFor(anyUrl()));
    }

    @Test
    void unbindKeepsABindingWrittenSinceItsRead() {
        // Consul refuses the check-and-set delete: another frontend bound the uid after the read.
        consul.stubFor(stored("alice", "connector-1", 42));
        consul.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlPathMatching("/v1/kv/.*")).willReturn(okJson("false")));

        store.unbind("alice", "connector-1");

        consul.verify(1, deleteRequestedFor(urlEqualTo("/v1/kv/pitaya/bindings/alice?cas=42")));
    }

    @Test
    void uidsAreEncodedAsOnePathSegment() {
        consul.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(404)));
        consul.stubFor(put(anyUrl()).willReturn(okJson("true")));

        store.bind("a b/c?", "connector-1");

        consul.verify(putRequestedFor(urlEqualTo("/v1/kv/pitaya/bindings/a%20b%2Fc%3F?cas=0")));
    }

    @Test
    void whenConsulCannotBeReachedThenBindingsAreUnknownAndWritesSkipped() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ConsulSessionBindingStore unreachable = new ConsulSessionBindingStore(
                ConsulAutoConfiguration.createConsulClientSettings("http://127.0.0.1:" + closedPort, null).adapter(), null);

        assertThat(unreachable.bind("alice", "connector-1")).isNull();
        unreachable.unbind("alice", "connector-1");
        assertThat(unreachable.frontendOf("alice")).isNull();
    }

    @Test
    void whenConsulFailsThenTheBindingIsUnknown() {
        consul.stubFor(get("/v1/kv/pitaya/bindings/alice").willReturn(aResponse().withStatus(500).withBody("rpc error")));

        assertThat(store.frontendOf("alice")).isNull();
    }

    @Test
    void whenTheTokenIsRefusedThenTheBindingIsUnknownAndNotStored() {
        consul.stubFor(get("/v1/kv/pitaya/bindings/alice").willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "text/plain; charset=utf-8").withBody("Permission denied")));
        consul.stubFor(put(urlPathEqualTo("/v1/kv/pitaya/bindings/alice")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "text/plain; charset=utf-8").withBody("Permission denied")));

        assertThat(store.bind("alice", "connector-1")).isNull();
        store.unbind("alice", "connector-1");
        assertThat(store.frontendOf("alice")).isNull();
        consul.verify(0, deleteRequestedFor(anyUrl()));
    }

    /** A key as Consul returns it. */
    static MappingBuilder stored(String uid, String frontendId, long modifyIndex) {
        String value = Base64.getEncoder().encodeToString(frontendId.getBytes(StandardCharsets.UTF_8));
        return get("/v1/kv/pitaya/bindings/" + uid).willReturn(okJson("""
                [{"LockIndex":0,"Key":"pitaya/bindings/%s","Flags":0,"Value":"%s","CreateIndex":40,"ModifyIndex":%d}]
                """.formatted(uid, value, modifyIndex)).withHeader("X-Consul-Index", String.valueOf(modifyIndex)));
    }
}
