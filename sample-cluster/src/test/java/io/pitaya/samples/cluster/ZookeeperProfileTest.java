package io.pitaya.samples.cluster;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.test.PitayaClients;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code zookeeper} profile as the README starts it, against a real ZooKeeper server and Kafka
 * broker: a backend and a frontend find each other in ZooKeeper, and a request goes frontend → backend →
 * remote on the frontend and back.
 */
class ZookeeperProfileTest {

    @Test
    void aFrontendAndABackendOnZookeeperServeAClient() throws Exception {
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        try (TestingServer zookeeper = new TestingServer(true);
             ConfigurableApplicationContext backend = server(zookeeper, kafka, "backend", "room-1");
             ConfigurableApplicationContext frontend = server(zookeeper, kafka, "frontend", "connector-1")) {
            try (PitayaClients clients = PitayaClients.of(frontend)) {
                PitayaClient client = clients.tcp();

                Map<?, ?> answer = client.request("room.room.sendrpc",
                        Map.of("serverId", "connector-1", "route", "connector.connectorremote.remotefunc", "msg", "via zookeeper"),
                        Map.class).get(10, TimeUnit.SECONDS);

                assertThat(answer).isEqualTo(Map.of("msg", "via zookeeper"));

                // The room is a cluster-wide group, kept in ZooKeeper.
                assertThat(client.request("room.room.entry", null, Map.class).get(10, TimeUnit.SECONDS)).containsEntry("result", "ok");
                assertThat(client.request("room.room.join", null, Map.class).get(10, TimeUnit.SECONDS)).containsEntry("result", "success");
                org.apache.curator.framework.CuratorFramework curator = frontend.getBean(org.apache.curator.framework.CuratorFramework.class);
                assertThat(curator.getChildren().forPath("/pitaya/groups/room")).hasSize(1);
            }
        } finally {
            kafka.destroy();
        }
    }

    private static ConfigurableApplicationContext server(TestingServer zookeeper, EmbeddedKafkaKraftBroker kafka, String role,
                                                         String id) {
        return ClusterApplication.run("--spring.profiles.active=" + role + ",zookeeper",
                "--spring.cloud.zookeeper.connect-string=" + zookeeper.getConnectString(),
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--pitaya.server.id=" + id, "--server.port=0", "--pitaya.acceptor.tcp.port=0",
                "--pitaya.cluster.drain-delay=0s");
    }
}
