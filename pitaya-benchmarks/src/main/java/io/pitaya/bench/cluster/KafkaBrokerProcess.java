package io.pitaya.bench.cluster;

import io.pitaya.bench.Args;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A KRaft broker in a process of its own, so that scenario 3 can read the CPU time of the framework's
 * JVM (frontend and backend) and of the raw relay without the broker's in it. The raw relay's and the
 * ping-pong's topics are created here; the framework creates its own. The broker picks a free port and
 * prints {@code kafka ready at <bootstrap>}.
 *
 * <pre>
 * java io.pitaya.bench.cluster.KafkaBrokerProcess
 * </pre>
 */
public final class KafkaBrokerProcess {

    private KafkaBrokerProcess() {
    }

    public static void main(String[] argv) throws InterruptedException {
        Args.parse(argv).requireAllUsed();
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "raw.requests", "raw.replies", "bench.ping", "bench.pong");
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ForwardBenchCluster.destroyWithin(broker, 5)));
        System.out.println("kafka ready at " + broker.getBrokersAsString());
        Thread.currentThread().join();
    }
}
