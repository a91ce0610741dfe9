package io.pitaya.spring.clusterit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.cluster.ServiceDiscovery;
import io.pitaya.spring.cluster.SessionBindingStore;
import io.pitaya.spring.clusterit.backend.RoomApplication;
import io.pitaya.spring.clusterit.frontend.ConnectorApplication;
import io.pitaya.spring.internal.acceptor.tcp.TcpAcceptor;
import io.pitaya.spring.internal.cluster.zookeeper.ZookeeperSessionBindingStore;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster on a real ZooKeeper server with Spring Cloud ZooKeeper (and a real Kafka broker): every
 * server registers itself in ZooKeeper's type, the servers find each other there, and the uid bindings
 * are ZooKeeper nodes. The last test stops a backend.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZookeeperClusterTests {

    static TestingServer zookeeper;
    static EmbeddedKafkaKraftBroker kafka;
    static CuratorFramework observer;
    static final List<ConfigurableApplicationContext> servers = new ArrayList<>();
    static ConfigurableApplicationContext frontend1;
    static ConfigurableApplicationContext frontend2;
    static ConfigurableApplicationContext backend1;
    static ConfigurableApplicationContext backend2;

    final List<PitayaClient> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        zookeeper = new TestingServer(true);
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        observer = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
        observer.start();
        backend1 = start(RoomApplication.class, "room-1", "room", false);
        backend2 = start(RoomApplication.class, "room-2", "room", false);
        frontend1 = start(ConnectorApplication.class, "connector-1", "connector", true);
        frontend2 = start(ConnectorApplication.class, "connector-2", "connector", true);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        servers.forEach(ConfigurableApplicationContext::close);
        if (observer != null) {
            observer.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    static ConfigurableApplicationContext start(Class<?> app, String id, String type, boolean frontend) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(app)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.application.name=" + id,
                        "spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                        "spring.cloud.consul.enabled=false",
                        "spring.cloud.zookeeper.connect-string=" + zookeeper.getConnectString(),
                        "pitaya.mode=cluster",
                        "pitaya.server.id=" + id,
                        "pitaya.server.type=" + type,
                        "pitaya.server.frontend=" + frontend,
                        "pitaya.server.metadata.zone=z1",
                        "pitaya.acceptor.tcp.port=0",
                        "pitaya.naming=as-written",
                        "pitaya.cluster.rpc.timeout=2s",
                        "pitaya.cluster.drain-delay=200ms")
                .run();
        servers.add(context);
        return context;
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PitayaClient::close);
    }

    PitayaClient connect(ConfigurableApplicationContext frontend) throws Exception {
        PitayaClient client = PitayaClient.builder().tcp("127.0.0.1", frontend.getBean(TcpAcceptor.class).port())
                .requestTimeout(Duration.ofSeconds(8)).build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        return client;
    }

    static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void eachServerIsAZookeeperInstanceOfItsTypeWithPitayasMetadata() throws Exception {
        assertThat(observer.getChildren().forPath("/services/room")).containsExactlyInAnyOrder("room-1", "room-2");
        assertThat(observer.getChildren().forPath("/services/connector")).containsExactlyInAnyOrder("connector-1", "connector-2");
        String instance = new String(observer.getData().forPath("/services/connector/connector-1"), StandardCharsets.UTF_8);
        assertThat(instance).contains("\"pitaya-server-id\":\"connector-1\"", "\"pitaya-frontend\":\"true\"", "\"zone\":\"z1\"");
        assertThat(observer.checkExists().forPath("/services/connector-1")).as("not the application itself").isNull();
        assertThat(frontend1.getBean(SessionBindingStore.class)).isInstanceOf(ZookeeperSessionBindingStore.class);
    }

    @Test
    @Order(2)
    void serversFindEachOtherAndRequestsAreForwarded() throws Exception {
        ServiceDiscovery discovery = frontend1.getBean(ServiceDiscovery.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(discovery.all()).hasSize(4));
        assertThat(discovery.server("room-2").metadata()).containsEntry("zone", "z1");

        PitayaClient client = connect(frontend1);
        Set<Object> answeredBy = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            answeredBy.add(done(client.request("room.room.whoami", new byte[0], Map.class)).get("server"));
        }
        assertThat(answeredBy).containsExactlyInAnyOrder("room-1", "room-2");
    }

    @Test
    @Order(3)
    void aUidBoundOnAnotherFrontendKicksTheOlderSessionAndPushesFindIt() throws Exception {
        PitayaClient older = connect(frontend1);
        CountDownLatch kicked = new CountDownLatch(1);
        older.onKick(kicked::countDown);
        done(older.request("room.room.entry", Map.of("uid", "frank"), String.class));
        assertThat(new String(observer.getData().forPath("/pitaya/bindings/frank"), StandardCharsets.UTF_8)).isEqualTo("connector-1");

        PitayaClient newer = connect(frontend2);
        done(newer.request("room.room.entry", Map.of("uid", "frank"), String.class));

        assertThat(kicked.await(5, TimeUnit.SECONDS)).as("older session on the other frontend kicked").isTrue();
        assertThat(new String(observer.getData().forPath("/pitaya/bindings/frank"), StandardCharsets.UTF_8)).isEqualTo("connector-2");
        CountDownLatch pushed = new CountDownLatch(1);
        newer.onPush("onNews", Map.class, m -> pushed.countDown());
        assertThat(backend1.getBean(Pitaya.class).pushToUsers("onNews", Map.of("n", 1), List.of("frank"), "connector")).isEmpty();
        assertThat(pushed.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Order(4)
    void ofTwoFrontendsBindingOneUidAtOnceExactlyOneSessionSurvives() throws Exception {
        for (int round = 0; round < 5; round++) {
            String uid = "twin-" + round;
            PitayaClient one = connect(frontend1);
            PitayaClient two = connect(frontend2);
            AtomicInteger kicks = new AtomicInteger();
            one.onKick(kicks::incrementAndGet);
            two.onKick(kicks::incrementAndGet);

            CompletableFuture<String> first = one.request("room.room.entry", Map.of("uid", uid), String.class);
            CompletableFuture<String> second = two.request("room.room.entry", Map.of("uid", uid), String.class);
            // The session kicked may lose its connection before its own answer arrives.
            CompletableFuture.allOf(first, second).handle((r, e) -> null).get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(kicks).as(uid).hasValue(1));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(kicks).hasValue(1));
        }
    }

    @Test
    @Order(5)
    void aStoppedBackendLeavesZookeeperAndTheOtherTakesItsRequests() throws Exception {
        backend2.close();

        assertThat(observer.getChildren().forPath("/services/room")).containsExactly("room-1");
        ServiceDiscovery discovery = frontend1.getBean(ServiceDiscovery.class);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(discovery.server("room-2")).isNull());
        PitayaClient client = connect(frontend1);
        for (int i = 0; i < 10; i++) {
            assertThat(done(client.request("room.room.whoami", new byte[0], Map.class)).get("server")).isEqualTo("room-1");
        }
    }
}
