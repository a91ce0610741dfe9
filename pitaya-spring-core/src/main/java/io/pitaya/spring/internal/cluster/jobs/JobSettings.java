package io.pitaya.spring.internal.cluster.jobs;

import java.time.Duration;
import java.util.Map;

/**
 * What {@link ReliableRpc} needs from configuration.
 *
 * @param producer producer properties (Spring Boot's {@code spring.kafka.*})
 * @param consumer consumer properties
 * @param admin admin client properties
 * @param topicPrefix prefix of the job topics: {@code <prefix>.jobs.<serverType>} and its dead-letter topic {@code ….dlt}
 * @param partitions partitions of a job topic: how many servers of a type run its jobs at once, at most
 * @param replicationFactor replication of the job topics, 0 or less for the broker's default
 * @param attempts runs of a job before it goes to the dead-letter topic
 * @param initialBackoff wait before the second run
 * @param multiplier each further wait is this many times the one before
 * @param maxBackoff the longest wait between runs
 * @param timeout how long one run may take before it counts as failed
 * @param concurrency consumers of the job topic on this server
 */
public record JobSettings(Map<String, Object> producer, Map<String, Object> consumer, Map<String, Object> admin, String topicPrefix,
                          int partitions, short replicationFactor, int attempts, Duration initialBackoff, double multiplier,
                          Duration maxBackoff, Duration timeout, int concurrency) {

    /**
     * @param serverType a server type
     * @return the topic of its jobs
     */
    public String topic(String serverType) {
        return topicPrefix + ".jobs." + serverType;
    }

    /**
     * @param serverType a server type
     * @return the topic of its jobs that failed every attempt
     */
    public String deadLetterTopic(String serverType) {
        return topic(serverType) + ".dlt";
    }

    /** @return the consumer group of a type's servers: each job runs on one of them */
    public String group(String serverType) {
        return topicPrefix + ".jobs." + serverType;
    }
}
