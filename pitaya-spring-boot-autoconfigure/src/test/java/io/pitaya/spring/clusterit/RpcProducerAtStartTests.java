package io.pitaya.spring.clusterit;

import java.lang.management.ManagementFactory;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.pitaya.spring.internal.cluster.kafka.KafkaRpc;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server's RPC producer is made and connected when the server starts, and has the metadata of every other server's
 * inbox before the first call to it: both were paid by the first calls otherwise, long enough on a busy machine for the
 * send gate to take Kafka for down and refuse a burst of calls (seen in the benchmarks: a cold cluster's first joins
 * answered PIT-500 "Kafka is not taking requests" although Kafka was up).
 */
class RpcProducerAtStartTests {

    static InJvmCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new InJvmCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theProducerIsConnectedBeforeAnyCall() throws Exception {
        cluster.backend("room-at-start");
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        // Named after the server: the client id is pitaya-rpc-<server id> (Spring adds a counter), and pitaya-rpc-<server id>-nb
        // for the producer that never blocks (sends from event loops).
        Set<ObjectName> producers = jmx.queryNames(new ObjectName("kafka.producer:type=producer-metrics,client-id=pitaya-rpc-room-at-start*"), null);
        assertThat(producers).as("RPC producers of room-at-start, before any call").hasSize(2)
                .anySatisfy(name -> assertThat(name.getKeyProperty("client-id")).contains("-nb"))
                .anySatisfy(name -> assertThat(name.getKeyProperty("client-id")).doesNotContain("-nb"));
        for (ObjectName producer : producers) {
            assertThat(((Number) jmx.getAttribute(producer, "connection-count")).doubleValue()).as(producer.toString()).isGreaterThanOrEqualTo(1);
            assertThat(((Number) jmx.getAttribute(producer, "metadata-age")).doubleValue()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void everyServerHasTheOthersInboxMetadataBeforeAnyCall() {
        ConfigurableApplicationContext backend = cluster.backend("room-peer");
        ConfigurableApplicationContext frontend = cluster.frontend("connector-peer");
        String backendInbox = backend.getBean(KafkaRpc.class).inboxTopic();
        String frontendInbox = frontend.getBean(KafkaRpc.class).inboxTopic();
        // The frontend found the backend in the view at its start, the backend was told of the frontend when it appeared.
        await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(frontend.getBean(KafkaRpc.class).fetchedTopics()).contains(backendInbox);
            assertThat(backend.getBean(KafkaRpc.class).fetchedTopics()).contains(frontendInbox);
        });
        assertThat(frontend.getBean(KafkaRpc.class).fetchedTopics()).doesNotContain(frontendInbox);
    }
}
