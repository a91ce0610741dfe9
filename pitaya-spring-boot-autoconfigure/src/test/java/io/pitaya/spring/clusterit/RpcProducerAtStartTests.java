package io.pitaya.spring.clusterit;

import java.lang.management.ManagementFactory;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server's RPC producer is made and connected when the server starts, not by its first call: made by the first call,
 * it cost that call long enough on a busy machine for the send gate to take Kafka for down and refuse a burst of calls
 * (seen in the benchmarks, a cold cluster's first joins answered PIT-500 "Kafka is not taking requests").
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
        // Named after the server: the client id is pitaya-rpc-<server id> (Spring adds a counter).
        Set<ObjectName> producers = jmx.queryNames(new ObjectName("kafka.producer:type=producer-metrics,client-id=pitaya-rpc-room-at-start*"), null);
        assertThat(producers).as("RPC producer of room-at-start, before any call").hasSize(1);
        ObjectName producer = producers.iterator().next();
        assertThat(((Number) jmx.getAttribute(producer, "connection-count")).doubleValue()).isGreaterThanOrEqualTo(1);
        assertThat(((Number) jmx.getAttribute(producer, "metadata-age")).doubleValue()).isGreaterThanOrEqualTo(0);
    }
}
