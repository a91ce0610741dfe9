package io.pitaya.spring.internal.cluster.jobs;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.protocol.Route;
import io.pitaya.protocol.proto.PitayaProto.Msg;
import io.pitaya.protocol.proto.PitayaProto.MsgType;
import io.pitaya.protocol.proto.PitayaProto.RPCType;
import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.spring.PitayaContext;
import io.pitaya.spring.ReliableCalls;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.internal.cluster.discovery.ClusterPhases;
import io.pitaya.spring.internal.cluster.kafka.KafkaClients;
import io.pitaya.spring.internal.cluster.rpc.SessionData;
import io.pitaya.spring.internal.dispatch.HandlerInvoker;
import io.pitaya.spring.internal.dispatch.RemoteInvoker;
import io.pitaya.spring.metrics.PitayaMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;

/**
 * Reliable RPC, pitaya's {@code ReliableRPC} and worker done with Kafka: a remote call made a durable job, run even if
 * no server of its type is up right now, retried until it succeeds or its attempts are spent.
 * <ul>
 * <li>{@link #submit} writes the job to the topic of its server type ({@code <prefix>.jobs.<type>}, created on first
 * use) with {@code acks=all} and idempotence, and completes once the broker has it: the job is then durable.</li>
 * <li>Every server of that type with jobs enabled is a consumer of the type's group, so each job runs on one of them,
 * through the same {@link RemoteInvoker} as RPCs, with the submitter's context and the job id under {@link #JOB_ID}.</li>
 * <li>A run that fails or outlasts the timeout is retried with exponential backoff (Spring Kafka's
 * {@link DefaultErrorHandler}); after the last attempt the job goes to {@code <prefix>.jobs.<type>.dlt} with its error
 * in the headers ({@link DeadLetterPublishingRecoverer}). A job whose remote does not exist or refuses its argument
 * (PIT-404, PIT-400) goes there at once.</li>
 * <li>The offset is committed after the run: a server that dies mid-job leaves it to another server of the type.</li>
 * </ul>
 * At least once: a remote may run more than once (a retry after a run that succeeded but timed out, a server dying
 * after the run and before the commit). The job id is its idempotency key.
 */
public class ReliableRpc implements ReliableCalls, SmartLifecycle {

    /** Key of the job id in the remote's {@link PitayaContext} and header of the job's record. */
    public static final String JOB_ID = PitayaContext.JOB_ID;

    private static final Log logger = LogFactory.getLog(ReliableRpc.class);

    private final ServerInfo self;
    private final JobSettings settings;
    private final RemoteInvoker remotes;
    private final SessionData sessionData;
    private final Executor executor;
    private final PitayaMetrics metrics;
    private final Map<String, CompletableFuture<Void>> topics = new ConcurrentHashMap<>();
    /**
     * Sends the jobs, in the order submitted. A send takes microseconds, but blocks while Kafka is unreachable (up to
     * {@code max.block.ms}): on this thread of its own, never on a handler's; beyond {@value #MAX_QUEUED_SENDS} waiting,
     * a job is refused at once.
     */
    private volatile java.util.concurrent.ThreadPoolExecutor sender;
    private static final int MAX_QUEUED_SENDS = 10_000;
    private volatile boolean running;
    private DefaultKafkaProducerFactory<String, byte[]> producers;
    private KafkaTemplate<String, byte[]> template;
    private Admin admin;
    private ConcurrentMessageListenerContainer<String, byte[]> container;

    /**
     * @param self this server: it runs the jobs of its type
     * @param settings topics, retries and Kafka client settings
     * @param remotes runs this server's remotes
     * @param sessionData encodes the job's context
     * @param executor runs the jobs' remotes, off the consumer's thread
     * @param metrics counts the jobs
     */
    public ReliableRpc(ServerInfo self, JobSettings settings, RemoteInvoker remotes, SessionData sessionData, Executor executor,
                       PitayaMetrics metrics) {
        this.self = self;
        this.settings = settings;
        this.remotes = remotes;
        this.sessionData = sessionData;
        this.executor = executor;
        this.metrics = metrics;
    }

    @Override
    public CompletableFuture<String> submit(String jobId, String route, byte[] arg, PitayaContext context) {
        KafkaTemplate<String, byte[]> current = template;
        Executor sends = sender;
        if (!running || current == null || sends == null) {
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL, "reliable RPC is not running on this server"));
        }
        String[] parts = route.split("\\.");
        if (parts.length != 3 || jobId == null || jobId.isEmpty()) {
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.BAD_REQUEST,
                    "a job needs an id and a remote's route serverType.remote.method, not " + route));
        }
        Map<String, Object> metadata = new LinkedHashMap<>(context.values()); // not its deadline: a job may run later
        metadata.put(JOB_ID, jobId);
        Request request = Request.newBuilder()
                .setType(RPCType.User)
                .setMsg(Msg.newBuilder().setRoute(route).setData(ByteString.copyFrom(arg)).setType(MsgType.MsgRequest))
                .setFrontendID(self.id())
                .setMetadata(sessionData.encode(metadata))
                .build();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.topic(parts[0]), jobId, request.toByteArray());
        record.headers().add(JOB_ID, jobId.getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Object> accepted = new CompletableFuture<>();
        topicsOf(parts[0]).whenComplete((created, failure) -> {
            if (failure != null) {
                accepted.completeExceptionally(failure);
                return;
            }
            try {
                sends.execute(() -> {
                    try {
                        current.send(record).whenComplete((sent, error) -> {
                            if (error != null) {
                                accepted.completeExceptionally(error);
                            } else {
                                accepted.complete(sent);
                            }
                        });
                    } catch (RuntimeException e) {
                        accepted.completeExceptionally(e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                accepted.completeExceptionally(new IllegalStateException(MAX_QUEUED_SENDS + " jobs wait to be sent already "
                        + "(Kafka is not taking them), or the server is stopping"));
            }
        });
        // The caller continues on a handler thread, not on the Kafka producer's.
        return accepted
                .handleAsync((sent, error) -> {
                    if (error != null) {
                        metrics.job(route, "refused");
                        throw new PitayaException(ErrorCodes.INTERNAL, "job " + jobId + " (" + route + ") was not accepted: "
                                + HandlerInvoker.unwrap(error).getMessage());
                    }
                    metrics.job(route, "submitted");
                    return jobId;
                }, executor);
    }

    /** Creates a type's job topic and its dead-letter topic, once per run of this server (again after a failure). */
    private CompletableFuture<Void> topicsOf(String serverType) {
        CompletableFuture<Void> created = topics.computeIfAbsent(serverType, type -> createTopics(type).toCompletableFuture());
        return created.whenComplete((done, error) -> {
            if (error != null) {
                topics.remove(serverType, created);
            }
        });
    }

    private CompletableFuture<Void> createTopics(String serverType) {
        Optional<Short> replication = settings.replicationFactor() > 0 ? Optional.of(settings.replicationFactor()) : Optional.empty();
        List<NewTopic> wanted = List.of(new NewTopic(settings.topic(serverType), Optional.of(settings.partitions()), replication),
                new NewTopic(settings.deadLetterTopic(serverType), Optional.of(1), replication));
        CompletableFuture<Void> done = new CompletableFuture<>();
        admin.createTopics(wanted).values().values().stream()
                .map(future -> future.toCompletionStage().toCompletableFuture().exceptionally(error -> {
                    if (HandlerInvoker.unwrap(error) instanceof TopicExistsException) {
                        return null;
                    }
                    throw new IllegalStateException("cannot create job topics for server type " + serverType + ": "
                            + HandlerInvoker.unwrap(error).getMessage(), error);
                }))
                .reduce((a, b) -> a.thenCombine(b, (x, y) -> null))
                .orElse(CompletableFuture.completedFuture(null))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        done.completeExceptionally(error);
                    } else {
                        done.complete(null);
                    }
                });
        return done;
    }

    /** Runs one job on this server; what it throws the error handler retries or dead-letters. */
    private void run(ConsumerRecord<String, byte[]> record) {
        Request request;
        try {
            request = Request.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            throw new JobRefused("undecodable job in " + record.topic() + " at offset " + record.offset());
        }
        String route = request.getMsg().getRoute();
        Route parsed;
        try {
            parsed = Route.parse(route, self.type());
        } catch (ProtocolException e) {
            throw new JobRefused("job " + record.key() + ": bad route " + route);
        }
        metrics.job(route, "started");
        Map<String, Object> metadata = sessionData.decode(request.getMetadata());
        byte[] arg = request.getMsg().getData().toByteArray();
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        executor.execute(() -> {
            try (PitayaContext.Scope scope = PitayaContext.bind(() -> PitayaContext.fromMetadata(metadata, System.nanoTime()))) {
                remotes.invoke(parsed, arg).whenComplete((answer, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(answer);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            result.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            metrics.job(route, "succeeded");
        } catch (TimeoutException e) {
            metrics.job(route, "failed");
            throw new JobFailed("job " + record.key() + " (" + route + ") took more than " + settings.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailed("job " + record.key() + " (" + route + ") interrupted: the server is stopping");
        } catch (ExecutionException e) {
            metrics.job(route, "failed");
            Throwable cause = HandlerInvoker.unwrap(e.getCause());
            String message = "job " + record.key() + " (" + route + ") failed: " + (cause instanceof PitayaException pitaya
                    ? pitaya.code() + " " + pitaya.getMessage() : cause.toString());
            if (cause instanceof PitayaException pitaya
                    && (ErrorCodes.NOT_FOUND.equals(pitaya.code()) || ErrorCodes.BAD_REQUEST.equals(pitaya.code()))) {
                throw new JobRefused(message);
            }
            throw new JobFailed(message);
        }
    }

    /** A run that failed: retried until the attempts are spent. */
    static final class JobFailed extends RuntimeException {
        JobFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** A job no retry can help (no such remote, an argument it refuses): to the dead-letter topic at once. */
    static final class JobRefused extends RuntimeException {
        JobRefused(String message) {
            super(message, null, false, false);
        }
    }

    /** @return jobs of this server's type not yet taken by its consumers, as they last measured (0 before they have) */
    public long lag() {
        ConcurrentMessageListenerContainer<String, byte[]> current = container;
        if (current == null) {
            return 0;
        }
        return KafkaClients.lag(current.metrics());
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        admin = Admin.create(settings.admin());
        producers = new DefaultKafkaProducerFactory<>(producerConfig());
        org.springframework.scheduling.concurrent.CustomizableThreadFactory threads =
                new org.springframework.scheduling.concurrent.CustomizableThreadFactory("pitaya-jobs-send-");
        threads.setDaemon(true);
        sender = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(MAX_QUEUED_SENDS), threads);
        template = new KafkaTemplate<>(producers);
        try {
            topicsOf(self.type()).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating job topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the job topics of " + self.type() + " within 30 s: " + e.getMessage(), e);
        }
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(Math.max(0, settings.attempts() - 1));
        backOff.setInitialInterval(settings.initialBackoff().toMillis());
        backOff.setMultiplier(settings.multiplier());
        backOff.setMaxInterval(settings.maxBackoff().toMillis());
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(template,
                (record, error) -> new TopicPartition(settings.deadLetterTopic(self.type()), -1));
        DefaultErrorHandler errors = new DefaultErrorHandler(deadLetters, backOff);
        errors.addNotRetryableExceptions(JobRefused.class);
        errors.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception error, int deliveryAttempt) {
                if (deliveryAttempt < settings.attempts() && !refused(error)) {
                    metrics.job(routeOf(record), "retried");
                }
            }

            @Override
            public void recovered(ConsumerRecord<?, ?> record, Exception error) {
                metrics.job(routeOf(record), "dead-lettered");
                logger.warn("job " + record.key() + " sent to " + settings.deadLetterTopic(self.type()) + " after "
                        + settings.attempts() + " attempts: " + HandlerInvoker.unwrap(error).getMessage());
            }
        });
        ContainerProperties properties = new ContainerProperties(settings.topic(self.type()));
        properties.setGroupId(settings.group(self.type()));
        properties.setAckMode(ContainerProperties.AckMode.RECORD);
        properties.setPollTimeout(1000);
        properties.setMessageListener((MessageListener<String, byte[]>) this::run);
        container = new ConcurrentMessageListenerContainer<>(new DefaultKafkaConsumerFactory<>(consumerConfig()), properties);
        container.setConcurrency(Math.max(1, settings.concurrency()));
        container.setCommonErrorHandler(errors);
        container.setBeanName("pitaya-jobs");
        container.start();
        running = true;
        logger.info("pitaya reliable RPC: runs the jobs of " + settings.topic(self.type()) + " (group " + settings.group(self.type()) + ")");
    }

    private static boolean refused(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof JobRefused) {
                return true;
            }
        }
        return false;
    }

    private String routeOf(ConsumerRecord<?, ?> record) {
        try {
            return Request.parseFrom((byte[]) record.value()).getMsg().getRoute();
        } catch (InvalidProtocolBufferException | ClassCastException e) {
            return "unknown";
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        container.stop();
        container = null;
        sender.shutdown();
        sender = null;
        producers.destroy();
        template = null;
        admin.close(java.time.Duration.ZERO);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return ClusterPhases.RPC;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = KafkaClients.producer(settings.producer());
        // Durable, not fast: the job is accepted once every in-sync replica has it, written once however the send is retried.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = KafkaClients.consumer(settings.consumer());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group(self.type()));
        // A job submitted before any server of the type ever ran is still run.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Jobs may be slow: few at a time. A server that died hands its jobs over within 10 s.
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        return config;
    }
}
