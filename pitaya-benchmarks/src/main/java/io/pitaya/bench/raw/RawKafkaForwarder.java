package io.pitaya.bench.raw;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.pitaya.bench.Args;
import io.pitaya.bench.KafkaPingPong;
import io.pitaya.bench.KafkaProducerStats;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The floor of the forwarding scenario without the framework: the raw Netty server's handshake and
 * framing in front, each Request relayed through plain Kafka (producer → request topic → consumer thread
 * that sends the body back → reply topic → consumer thread that writes the Response to the client's
 * channel). Same hops as a frontend forwarding to a backend, none of the framework's work: no sessions,
 * routing, handler pool, protobuf envelope or Spring Kafka. Producers use the framework's RPC settings
 * ({@code linger.ms=0}, {@code acks=1}, one request in flight). Broker in this JVM, like the framework's, or
 * the one at {@code --bootstrap} (with the topics {@code raw.requests} and {@code raw.replies}).
 *
 * <pre>
 * java io.pitaya.bench.raw.RawKafkaForwarder --tcp-port 13280
 * </pre>
 */
public final class RawKafkaForwarder {

    private static final String REQUESTS = "raw.requests";
    private static final String REPLIES = "raw.replies";

    /** A relayed request: where and how to answer. */
    private record Caller(Channel channel, long id, int zlib) {
    }

    private final Map<Long, Caller> pending = new ConcurrentHashMap<>();
    private final AtomicLong correlations = new AtomicLong();
    private final KafkaProducer<byte[], byte[]> frontendProducer;
    private volatile boolean running = true;

    private RawKafkaForwarder(KafkaProducer<byte[], byte[]> frontendProducer) {
        this.frontendProducer = frontendProducer;
    }

    public static void main(String[] argv) throws InterruptedException {
        Args args = Args.parse(argv);
        int tcpPort = args.integer("tcp-port", 13280);
        int wsPort = args.integer("ws-port", 0);
        Duration heartbeat = args.duration("heartbeat", Duration.ofSeconds(5));
        String bootstrap = args.string("bootstrap", null);
        args.requireAllUsed();

        if (bootstrap == null) {
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, REQUESTS, REPLIES);
            broker.afterPropertiesSet();
            bootstrap = broker.getBrokersAsString();
        }
        KafkaProducer<byte[], byte[]> frontendProducer = producer(bootstrap);
        KafkaProducer<byte[], byte[]> backendProducer = producer(bootstrap);
        KafkaConsumer<byte[], byte[]> backendConsumer = consumer(bootstrap, REQUESTS);
        KafkaConsumer<byte[], byte[]> frontendConsumer = consumer(bootstrap, REPLIES);
        RawKafkaForwarder forwarder = new RawKafkaForwarder(frontendProducer);
        KafkaPingPong.pollLoop("backend", backendConsumer, record ->
                backendProducer.send(new ProducerRecord<>(REPLIES, record.key(), record.value())), () -> forwarder.running);
        KafkaPingPong.pollLoop("frontend", frontendConsumer, forwarder::answer, () -> forwarder.running);
        RawNettyServer server = RawNettyServer.start(tcpPort, wsPort, "/pitaya", heartbeat, 0, forwarder::relay);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            forwarder.running = false;
            backendConsumer.wakeup();
            frontendConsumer.wakeup();
            server.close();
        }));
        System.out.println("raw forwarder: TCP on " + server.tcpPort() + ", Kafka at " + bootstrap);
        while (true) {
            Thread.sleep(10_000);
            KafkaProducerStats.lines().forEach(line -> System.out.println("kafka " + line));
        }
    }

    private void relay(Channel channel, long id, int zlib, byte[] body) {
        long correlation = correlations.incrementAndGet();
        pending.put(correlation, new Caller(channel, id, zlib));
        frontendProducer.send(new ProducerRecord<>(REQUESTS, ByteBuffer.allocate(8).putLong(correlation).array(), body));
    }

    private void answer(ConsumerRecord<byte[], byte[]> record) {
        Caller caller = pending.remove(ByteBuffer.wrap(record.key()).getLong());
        if (caller != null && caller.channel().isActive()) {
            caller.channel().writeAndFlush(RawPitayaHandler.response(caller.channel().alloc(), caller.id(), caller.zlib(),
                    Unpooled.wrappedBuffer(record.value())), caller.channel().voidPromise());
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        List<TopicPartition> assigned = List.of(new TopicPartition(topic, 0));
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(consumer::position);
        return consumer;
    }
}
