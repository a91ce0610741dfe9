package io.pitaya.spring.test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.pitaya.client.PitayaClient;
import io.pitaya.example.cluster.connector.ConnectorApplication;
import io.pitaya.example.cluster.room.RoomApplication;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PitayaTestClusterTests {

    @Test
    void frontendForwardsToBackendOverTheEmbeddedBroker() throws Exception {
        try (PitayaTestCluster cluster = new PitayaTestCluster("pitaya.naming=as-written")) {
            ConfigurableApplicationContext connector = cluster.frontend(ConnectorApplication.class, "connector-1", "connector");
            cluster.backend(RoomApplication.class, "room-1", "room");
            await().atMost(20, TimeUnit.SECONDS).until(() -> cluster.registry().getInstances("room").size() == 1);

            try (PitayaClients clients = cluster.clients(connector)) {
                PitayaClient player = clients.tcp();
                CompletableFuture<Map> welcome = new CompletableFuture<>();
                player.onPush("onWelcome", Map.class, welcome::complete);

                Map<?, ?> hello = player.request("connector.entry.hello", Map.of("name", "ana"), Map.class).get(10, TimeUnit.SECONDS);
                Map<?, ?> joined = player.request("room.room.join", Map.of(), Map.class).get(10, TimeUnit.SECONDS);

                assertThat(hello.get("server")).isEqualTo("connector");
                assertThat(joined.get("server")).as("answered by the backend").isEqualTo("room-1");
                assertThat(joined.get("uid")).as("the backend sees the frontend's session").isEqualTo("ana");
                assertThat(welcome.get(10, TimeUnit.SECONDS).get("uid")).as("a push from the backend reaches the client").isEqualTo("ana");
            }
        }
    }

    @Test
    void everyServerRegistersInTheSharedRegistry() {
        try (PitayaTestCluster cluster = new PitayaTestCluster()) {
            cluster.frontend(ConnectorApplication.class, "connector-1", "connector");
            cluster.backend(RoomApplication.class, "room-1", "room");
            cluster.backend(RoomApplication.class, "room-2", "room");

            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(cluster.registry().getInstances("room"))
                    .extracting(i -> i.getInstanceId()).containsExactlyInAnyOrder("room-1", "room-2"));
            assertThat(cluster.registry().getInstances("connector")).hasSize(1);
        }
    }
}
