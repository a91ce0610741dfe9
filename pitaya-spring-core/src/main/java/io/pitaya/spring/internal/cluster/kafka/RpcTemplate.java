package io.pitaya.spring.internal.cluster.kafka;

import io.pitaya.spring.internal.support.RateLimitedLog;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.GenericMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.ProducerListener;

/**
 * Spring Kafka's request-reply template with logs an operator can read. The template writes one line per
 * timed-out call and per late reply, each with the whole record; under a fault that is thousands of lines a
 * second (a server restarted after a crash finds its reply topic full of replies to its last life). Its own
 * logger ({@code io.pitaya.spring.internal.cluster.kafka.RpcTemplate}) is set to ERROR by default in cluster mode;
 * {@link KafkaRpc} logs timeouts counted per target; late replies and failed sends are counted here.
 */
final class RpcTemplate extends ReplyingKafkaTemplate<String, byte[], byte[]> {

    private final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(KafkaRpc.class), RateLimitedLog.DEFAULT_INTERVAL);

    RpcTemplate(ProducerFactory<String, byte[]> producers, GenericMessageListenerContainer<String, byte[]> replies) {
        super(producers, replies);
        // In place of Spring Kafka's LoggingProducerListener: an ERROR with the record for every failed send.
        setProducerListener(new ProducerListener<>() {
            @Override
            public void onError(ProducerRecord<String, byte[]> record, RecordMetadata metadata, Exception exception) {
                log.warn("send-failed:" + record.topic(), "sending to " + record.topic() + " failed: " + exception.getMessage());
            }
        });
    }

    @Override
    protected void logLateArrival(ConsumerRecord<String, byte[]> record, Object correlationId) {
        log.info("late-reply", "a reply arrived after its call had timed out (or from an earlier run of this server): dropped");
    }
}
