package io.pitaya.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The Kafka floor of scenario 3: plain producers and consumers play ping-pong through a broker, the
 * shape of a forwarded request without any framework. A "frontend" sends each request to a
 * {@code ping} topic; a "backend" consumes it and produces the same bytes to a {@code pong} topic;
 * the frontend consumes the reply and sends the next request. {@code --clients} requests are in
 * flight at once (closed loop). {@code --settings framework} (the default) configures producers and consumers
 * as the framework's RPC does ({@code linger.ms=0}, {@code acks=1}, no idempotence, one request in flight,
 * {@code fetch.max.wait.ms=100}); {@code --settings defaults} leaves Kafka's defaults.
 *
 * <p>The broker is an in-JVM KRaft broker (spring-kafka-test's {@link EmbeddedKafkaKraftBroker}),
 * or an existing one with {@code --bootstrap host:port}.
 *
 * <pre>
 * java io.pitaya.bench.KafkaPingPong --clients 64 --warmup 5s --duration 15s --json result.json
 * </pre>
 */
public final class KafkaPingPong {

    private static final String PING = "bench.ping";
    private static final String PONG = "bench.pong";

    private final byte[] payload;
    private final int partitions;
    private final boolean frameworkSettings;
    private final Recorder recorder = new Recorder(Results.MAX_NANOS, Results.DIGITS);
    private final Map<Long, Long> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder timeouts = new LongAdder();
    private volatile boolean running = true;

    private KafkaPingPong(int payloadSize, int partitions, boolean frameworkSettings) {
        this.frameworkSettings = frameworkSettings;
        this.payload = Payloads.json(payloadSize);
        this.partitions = partitions;
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, "quiet");
        int clients = args.integer("clients", 64);
        Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
        Duration duration = args.duration("duration", Duration.ofSeconds(15));
        int payloadSize = args.integer("payload", 64);
        int partitions = args.integer("partitions", 1);
        String bootstrap = args.string("bootstrap", null);
        String settings = args.string("settings", "framework");
        if (!settings.equals("framework") && !settings.equals("defaults")) {
            throw new IllegalArgumentException("--settings is framework or defaults; got " + settings);
        }
        String label = args.string("label", "kafka-ping-pong");
        String json = args.string("json", null);
        boolean quiet = args.flag("quiet");
        args.requireAllUsed();
        EmbeddedKafkaKraftBroker broker = null;
        if (bootstrap == null) {
            long start = System.nanoTime();
            broker = new EmbeddedKafkaKraftBroker(1, partitions, PING, PONG);
            broker.afterPropertiesSet();
            bootstrap = broker.getBrokersAsString();
            System.out.printf("[%s] in-JVM KRaft broker at %s started in %.1fs%n", label, bootstrap, (System.nanoTime() - start) / 1e9);
        }
        try {
            Map<String, Object> result = new KafkaPingPong(payloadSize, partitions, settings.equals("framework"))
                    .run(bootstrap, clients, warmup, duration, label, quiet);
            Results.write(json, result);
        } finally {
            if (broker != null) {
                broker.destroy();
            }
        }
        System.exit(0);
    }

    private Map<String, Object> run(String bootstrap, int clients, Duration warmup, Duration duration, String label, boolean quiet)
            throws InterruptedException {
        try (KafkaProducer<byte[], byte[]> frontendProducer = producer(bootstrap);
             KafkaProducer<byte[], byte[]> backendProducer = producer(bootstrap);
             KafkaConsumer<byte[], byte[]> backendConsumer = consumer(bootstrap, PING);
             KafkaConsumer<byte[], byte[]> frontendConsumer = consumer(bootstrap, PONG)) {
            Thread backend = loop("backend", backendConsumer, record ->
                    backendProducer.send(new ProducerRecord<>(PONG, record.key(), record.value())));
            Thread frontend = loop("frontend", frontendConsumer, record -> {
                long id = ByteBuffer.wrap(record.key()).getLong();
                Long sent = pending.remove(id);
                if (sent != null) {
                    recorder.recordValue(System.nanoTime() - sent);
                    send(frontendProducer);
                }
            });
            for (int i = 0; i < clients; i++) {
                send(frontendProducer);
            }
            Histogram total = Results.histogram();
            Histogram interval = null;
            long start = System.nanoTime();
            long measureStart = start;
            boolean measuring = false;
            for (int second = 1; ; second++) {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, start + TimeUnit.SECONDS.toNanos(second) - System.nanoTime()));
                long now = System.nanoTime();
                retryLost(frontendProducer, now);
                boolean warm = now - start >= warmup.toNanos();
                interval = recorder.getIntervalHistogram(interval);
                if (measuring) {
                    total.add(interval);
                }
                if (!quiet) {
                    System.out.printf("[%s] %-7s %4ds  %,10.0f req/s  p50 %7.3f  p99 %8.3f ms  timeouts %d%n", label,
                            measuring ? "measure" : "warm-up", second, (double) interval.getTotalCount(),
                            interval.getValueAtPercentile(50) / 1e6, interval.getValueAtPercentile(99) / 1e6, timeouts.sum());
                }
                // Ticks land a little late; the tolerance keeps them from adding a whole second.
                if (measuring && now - measureStart >= duration.toNanos() - TimeUnit.MILLISECONDS.toNanos(100)) {
                    running = false;
                    backendConsumer.wakeup();
                    frontendConsumer.wakeup();
                    backend.join(5000);
                    frontend.join(5000);
                    KafkaProducerStats.lines().forEach(line -> System.out.println("  kafka " + line));
                    return summary(label, clients, total, (now - measureStart) / 1e9);
                }
                if (warm && !measuring) {
                    measuring = true;
                    measureStart = now;
                }
            }
        }
    }

    private void send(KafkaProducer<byte[], byte[]> producer) {
        if (!running) {
            return;
        }
        long id = ids.incrementAndGet();
        pending.put(id, System.nanoTime());
        producer.send(new ProducerRecord<>(PING, ByteBuffer.allocate(8).putLong(id).array(), payload));
    }

    private void retryLost(KafkaProducer<byte[], byte[]> producer, long now) {
        pending.forEach((id, sent) -> {
            if (now - sent > TimeUnit.SECONDS.toNanos(5) && pending.remove(id, sent)) {
                timeouts.increment();
                send(producer);
            }
        });
    }

    private Thread loop(String name, KafkaConsumer<byte[], byte[]> consumer,
                        java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        return pollLoop(name, consumer, handler, () -> running);
    }

    /**
     * Starts a daemon thread handing every polled record to a handler, until {@code running} says
     * stop or the consumer is woken up.
     * @param name the thread's name
     * @param consumer the consumer, used by that thread only
     * @param handler takes each record
     * @param running whether to go on
     * @return the started thread
     */
    public static Thread pollLoop(String name, KafkaConsumer<byte[], byte[]> consumer,
                                  java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler,
                                  java.util.function.BooleanSupplier running) {
        Thread thread = new Thread(() -> {
            try {
                while (running.getAsBoolean()) {
                    consumer.poll(Duration.ofMillis(100)).forEach(handler);
                }
            } catch (WakeupException stopping) {
                // Asked to stop.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (frameworkSettings) {
            // What the framework's RPC producers use (KafkaRpc); otherwise Kafka's defaults (linger.ms 5, acks all,
            // idempotence on, 5 requests in flight).
            config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            config.put(ProducerConfig.ACKS_CONFIG, "1");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        }
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    private KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (frameworkSettings) {
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100); // as KafkaRpc; Kafka's default is 500
        }
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config);
        List<TopicPartition> assigned = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        // Resolve the end offsets now, so no message sent from here on is skipped.
        assigned.forEach(consumer::position);
        return consumer;
    }

    private Map<String, Object> summary(String label, int clients, Histogram total, double seconds) {
        double throughput = total.getTotalCount() / seconds;
        System.out.printf("%n%s: %d requests in flight through %s -> %s, %d B, measured %.1fs%n", label, clients, PING, PONG,
                payload.length, seconds);
        System.out.printf("  throughput  %,.0f round trips/s  (%d timeouts)%n", throughput, timeouts.sum());
        System.out.printf("  latency     %s%n%n", Results.latencyLine(total));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "kafka");
        result.put("label", label);
        result.put("clients", clients);
        result.put("partitions", partitions);
        result.put("settings", frameworkSettings ? "framework" : "defaults");
        result.put("payloadBytes", payload.length);
        result.put("measuredSeconds", Math.round(seconds * 1000) / 1000.0);
        result.put("throughput", Math.round(throughput));
        result.put("completed", total.getTotalCount());
        result.put("errors", new TreeMap<>(Map.of("timeout", timeouts.sum())));
        result.put("latencyMs", Results.latencyMillis(total));
        return result;
    }
}
