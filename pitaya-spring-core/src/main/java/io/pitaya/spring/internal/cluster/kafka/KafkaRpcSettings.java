package io.pitaya.spring.internal.cluster.kafka;

import java.time.Duration;
import java.util.Map;

/**
 * What {@link KafkaRpc} needs from configuration.
 *
 * @param producer producer properties (Spring Boot's {@code spring.kafka.*})
 * @param consumer consumer properties
 * @param admin admin client properties
 * @param topicPrefix prefix of the inbox and reply topics
 * @param replicationFactor replication of those topics, 0 or less for the broker's default
 * @param maxRequestAge requests older than this are dropped; also the longest reply wait
 */
public record KafkaRpcSettings(Map<String, Object> producer, Map<String, Object> consumer, Map<String, Object> admin,
                               String topicPrefix, short replicationFactor, Duration maxRequestAge) {

    /**
     * @param serverId a server id
     * @return that server's inbox topic
     */
    public String inboxTopic(String serverId) {
        return topicPrefix + ".server." + serverId;
    }

    /**
     * @param serverId a server id
     * @return that server's reply topic
     */
    public String replyTopic(String serverId) {
        return topicPrefix + ".reply." + serverId;
    }
}
