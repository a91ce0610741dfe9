package io.pitaya.spring.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.pitaya.spring.internal.cluster.kafka.KafkaRpc;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** UP while RPC runs and the Kafka cluster answers; details: this server's topics and the broker count. */
public class KafkaRpcHealthIndicator implements HealthIndicator {

    private final KafkaRpc rpc;
    private final Map<String, Object> adminConfig;
    private final Duration timeout;

    /**
     * @param rpc this server's RPC
     * @param adminConfig Kafka admin client properties
     * @param timeout how long the broker may take to answer
     */
    public KafkaRpcHealthIndicator(KafkaRpc rpc, Map<String, Object> adminConfig, Duration timeout) {
        this.rpc = rpc;
        this.adminConfig = adminConfig;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        Health.Builder builder = Health.unknown().withDetail("inbox", rpc.inboxTopic()).withDetail("replies", rpc.replyTopic());
        if (!rpc.isRunning()) {
            return builder.down().withDetail("reason", "RPC is not running").build();
        }
        Admin admin = Admin.create(adminConfig);
        try {
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            return builder.up().withDetail("brokers", brokers).build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return builder.down(e).build();
        } finally {
            admin.close(Duration.ZERO); // a health check never waits past its own timeout
        }
    }
}
