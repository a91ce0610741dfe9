package io.pitaya.spring.internal.cluster.kafka;

import io.pitaya.spring.internal.support.RateLimitedLog;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.GenericMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.requestreply.RequestReplyFuture;
import org.springframework.kafka.support.ProducerListener;
import org.jspecify.annotations.Nullable;

/**
 * Spring Kafka's request-reply template with logs an operator can read. The template writes one line per
 * timed-out call and per late reply, each with the whole record; under a fault that is thousands of lines a
 * second (a server restarted after a crash finds its reply topic full of replies to its last life). Its own
 * logger ({@code io.pitaya.spring.internal.cluster.kafka.RpcTemplate}) is set to ERROR by default in cluster mode;
 * {@link KafkaRpc} logs timeouts counted per target; late replies and failed sends are counted here.
 *
 * <p>Sends go through one of two producers: the usual one, whose {@code send} may block for up to {@code max.block.ms}
 * (the broker's metadata unknown, the buffer full), and one with {@code max.block.ms=0} for callers that must not block
 * (an event loop, {@link #sendWithoutBlocking}), whose send fails at once instead.
 */
final class RpcTemplate extends ReplyingKafkaTemplate<String, byte[], byte[]> {

    private final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(KafkaRpc.class), RateLimitedLog.DEFAULT_INTERVAL);
    private final @Nullable ProducerFactory<String, byte[]> nonBlocking;
    /** Set while this thread sends through {@link #nonBlocking}. */
    private final ThreadLocal<Boolean> withoutBlocking = new ThreadLocal<>();

    RpcTemplate(ProducerFactory<String, byte[]> producers, GenericMessageListenerContainer<String, byte[]> replies) {
        this(producers, null, replies);
    }

    /**
     * @param producers the usual producers
     * @param nonBlocking producers with {@code max.block.ms=0}, for {@link #sendWithoutBlocking}; none to send every
     *        record through {@code producers}
     * @param replies the reply container
     */
    RpcTemplate(ProducerFactory<String, byte[]> producers, @Nullable ProducerFactory<String, byte[]> nonBlocking,
                GenericMessageListenerContainer<String, byte[]> replies) {
        super(producers, replies);
        this.nonBlocking = nonBlocking;
        // In place of Spring Kafka's LoggingProducerListener: an ERROR with the record for every failed send.
        setProducerListener(new ProducerListener<>() {
            @Override
            public void onError(ProducerRecord<String, byte[]> record, RecordMetadata metadata, Exception exception) {
                if (withoutBlocking.get() != null) {
                    return; // failed at once, on the caller's thread: the caller sends it again, and says so if that fails
                }
                log.warn("send-failed:" + record.topic(), "sending to " + record.topic() + " failed: " + exception.getMessage());
            }
        });
    }

    /**
     * {@code sendAndReceive} through the producer that never blocks: a record whose topic's metadata that producer
     * does not have yet, or that finds its buffer full, fails at once ({@code KafkaException} caused by Kafka's
     * {@code TimeoutException}) and is not sent.
     * @param record the request
     * @param replyTimeout how long to wait for the reply
     * @return the reply's future
     */
    RequestReplyFuture<String, byte[], byte[]> sendWithoutBlocking(ProducerRecord<String, byte[]> record, java.time.Duration replyTimeout) {
        if (nonBlocking == null) {
            throw new IllegalStateException("no non-blocking producer");
        }
        withoutBlocking.set(Boolean.TRUE);
        try {
            return sendAndReceive(record, replyTimeout);
        } finally {
            withoutBlocking.remove();
        }
    }

    @Override
    protected ProducerFactory<String, byte[]> getProducerFactory(@Nullable String topic) {
        ProducerFactory<String, byte[]> other = nonBlocking;
        return other != null && withoutBlocking.get() != null ? other : super.getProducerFactory(topic);
    }

    @Override
    protected void logLateArrival(ConsumerRecord<String, byte[]> record, Object correlationId) {
        log.info("late-reply", "a reply arrived after its call had timed out (or from an earlier run of this server): dropped");
    }
}
