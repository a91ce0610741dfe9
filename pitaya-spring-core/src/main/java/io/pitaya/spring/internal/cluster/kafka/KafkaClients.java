package io.pitaya.spring.internal.cluster.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What pitaya's Kafka clients (RPC, jobs) share: String keys and byte[] values over Spring Boot's settings, lag read. */
public final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * @param boot Spring Boot's producer properties
     * @return a copy with String keys, byte[] values and no transactions
     */
    public static Map<String, Object> producer(Map<String, Object> boot) {
        Map<String, Object> config = new HashMap<>(boot);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /**
     * @param boot Spring Boot's consumer properties
     * @return a copy with String keys, byte[] values, offsets committed by the container only, and no static membership
     */
    public static Map<String, Object> consumer(Map<String, Object> boot) {
        Map<String, Object> config = new HashMap<>(boot);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }

    /**
     * @param metrics a listener container's metrics, by client
     * @return the sum over its consumers of {@code records-lag-max}, as they last measured (0 before they have)
     */
    public static long lag(Map<String, Map<MetricName, ? extends Metric>> metrics) {
        long lag = 0;
        for (Map<MetricName, ? extends Metric> byClient : metrics.values()) {
            for (Map.Entry<MetricName, ? extends Metric> metric : byClient.entrySet()) {
                if ("records-lag-max".equals(metric.getKey().name()) && metric.getValue().metricValue() instanceof Double value
                        && !value.isNaN()) {
                    lag += Math.max(0, value.longValue());
                }
            }
        }
        return lag;
    }
}
