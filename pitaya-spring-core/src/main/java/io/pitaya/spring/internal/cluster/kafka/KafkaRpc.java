package io.pitaya.spring.internal.cluster.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.protocol.proto.PitayaProto.Response;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.ServerListener;
import io.pitaya.spring.cluster.ServiceDiscovery;
import io.pitaya.spring.internal.cluster.discovery.ClusterPhases;
import io.pitaya.spring.internal.cluster.rpc.ClusterRequestHandler;
import io.pitaya.spring.internal.cluster.rpc.RpcTransport;
import io.pitaya.spring.internal.cluster.rpc.SessionData;
import io.pitaya.spring.internal.dispatch.HandlerInvoker;
import io.pitaya.spring.internal.support.PeriodicTask;
import io.pitaya.spring.internal.support.RateLimitedLog;
import io.pitaya.spring.metrics.PitayaMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.requestreply.CorrelationKey;
import org.springframework.kafka.requestreply.KafkaReplyTimeoutException;
import org.springframework.kafka.requestreply.RequestReplyFuture;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Server-to-server RPC over Kafka request-reply. Each server owns an inbox topic
 * ({@code <prefix>.server.<serverId>}) and a reply topic ({@code <prefix>.reply.<serverId>}), one
 * partition each, created at start and removed at a graceful stop.
 *
 * <p>Tuned for latency, not replay: producers send at once ({@code linger.ms=0}, {@code acks=1}, one produce
 * request in flight per broker so that records waiting under load share the next one, no
 * idempotence); consumers are assigned their partition directly (no consumer group, so no rebalance
 * delay) and commit no offsets (Kafka 4 brokers delay group commits, which would add milliseconds to
 * every call). A request older than the RPC timeout is dropped unanswered: its caller has given up,
 * and a restarted server with a fixed id never replays its predecessor's inbox.
 */
public class KafkaRpc implements RpcTransport, SmartLifecycle {

    /** Header of a request whose caller waits less than the RPC timeout: its wait in milliseconds (8 bytes). */
    static final String TIMEOUT_HEADER = "pitaya-timeout-ms";
    /** A caller that waits this much less than the RPC timeout tells the callee (TIMEOUT_HEADER). */
    private static final long SHORTER_DEADLINE_MILLIS = 100;
    /** A call whose send returned after this blocked on the broker's metadata (normal sends take microseconds). */
    private static final long SEND_BLOCKED_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final Log logger = LogFactory.getLog(KafkaRpc.class);

    /** Failed calls, one line per kind and target every 10 s with counts. */
    private final RateLimitedLog failures = new RateLimitedLog(logger, RateLimitedLog.DEFAULT_INTERVAL);
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final ServerInfo self;
    private final KafkaRpcSettings settings;
    private final Supplier<ClusterRequestHandler> handlers;
    private final PitayaMetrics metrics;
    private final ObservationRegistry observations;
    private final SessionData metadata;
    private ClusterRequestHandler handler;
    private final String inbox;
    private final String replies;
    /** The reply topic as the header value of every request (headers are only read, so one array serves all). */
    private final byte[] replyTopicHeader;
    private DefaultKafkaProducerFactory<String, byte[]> producers;
    private RpcTemplate template;
    private ReplyTimeouts timeouts;
    private KafkaMessageListenerContainer<String, byte[]> inboxContainer;
    private volatile boolean running;
    /** Correlation ids: random per start (a restarted server never takes its predecessor's replies), then counted. */
    private final long correlationPrefix = new SecureRandom().nextLong();
    private final AtomicLong correlationCounter = new AtomicLong();
    /** At most 8 threads inside a send; none waits for a turn once sends stop returning for 500 ms (Kafka down). */
    private static final int MAX_SENDERS = 8;
    private final SendGate senders = new SendGate(MAX_SENDERS, 500);
    /** Sends of calls with less time left than a send may block: each holds a turn of {@link #senders}, so at most 8. */
    private volatile ThreadPoolExecutor slowSends;
    /** Producers with {@code max.block.ms=0}, for calls that must not block (from an event loop). */
    private DefaultKafkaProducerFactory<String, byte[]> nonBlockingProducers;
    private final java.util.concurrent.atomic.LongAdder sentWithoutBlocking = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder handedOver = new java.util.concurrent.atomic.LongAdder();
    /** The producer's {@code max.block.ms}: the longest a send may block. */
    private volatile long maxBlockNanos;
    private final PeriodicTask topicChecks = new PeriodicTask("pitaya-rpc-topics", this::ensureTopics);
    /** The cluster's view, whose servers' inbox metadata is fetched before their first call; none in tests that wire RPC alone. */
    private volatile @Nullable ServiceDiscovery peers;
    private final ServerListener peerWatcher = new ServerListener() {
        @Override
        public void added(ServerInfo server) {
            fetchMetadata(server);
        }

        @Override
        public void removed(ServerInfo server) {
            // A server back with the same id has new topics: fetch again then.
            fetchedTopics.remove(settings.inboxTopic(server.id()));
        }
    };
    private boolean watchingPeers;
    /** One thread, fetching metadata of peers' inboxes; a bounded queue (an optimisation: what does not fit, the first call fetches). */
    private volatile @Nullable ThreadPoolExecutor metadataFetches;
    private final Set<String> fetchedTopics = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final Duration TOPIC_CHECK_INTERVAL = Duration.ofSeconds(30);
    /** Replies still unsent at a stop go out within this, or are given up (Kafka gone). */
    private static final int PRODUCER_CLOSE_SECONDS = 5;

    /**
     * @param self this server
     * @param settings Kafka client settings and topic naming
     * @param handlers supplies, at start, what answers the requests of the inbox (it calls other servers
     *        through this RPC in turn, hence supplied late)
     * @param metrics measures the calls
     * @param observations observes calls ({@code pitaya.rpc.client}) and Kafka sends and receives, so that a
     *        tracing bridge carries the trace context from caller to callee, in the request's metadata and the Kafka headers
     * @param metadata encodes the requests' metadata, into which a tracing bridge writes the trace context
     */
    public KafkaRpc(ServerInfo self, KafkaRpcSettings settings, Supplier<ClusterRequestHandler> handlers, PitayaMetrics metrics,
                    ObservationRegistry observations, SessionData metadata) {
        this.metadata = metadata;
        this.self = self;
        this.settings = settings;
        this.handlers = handlers;
        this.metrics = metrics;
        this.observations = observations;
        this.inbox = settings.inboxTopic(self.id());
        this.replies = settings.replyTopic(self.id());
        this.replyTopicHeader = replies.getBytes(StandardCharsets.UTF_8);
        if (!LEGAL_TOPIC.matcher(inbox).matches() || !LEGAL_TOPIC.matcher(replies).matches()) {
            throw new IllegalStateException("topic " + inbox + " is not a legal Kafka topic name: pitaya.server.id and "
                    + "pitaya.cluster.kafka.topic-prefix may use letters, digits, '.', '_' and '-' only");
        }
    }

    /** @return this server's inbox topic */
    public String inboxTopic() {
        return inbox;
    }

    /** @return this server's reply topic */
    public String replyTopic() {
        return replies;
    }

    /**
     * Fetches the metadata of every server's inbox as the server appears in the view (and of those in it at start), so
     * that a server's first calls to another do not block for it. A burst of first calls (players joining a cold
     * cluster) otherwise all waited for that metadata at once, on a busy machine long enough for the send gate to take
     * Kafka for down and refuse them. Set before {@link #start()}.
     * @param discovery the cluster's view
     */
    public void fetchMetadataOf(ServiceDiscovery discovery) {
        this.peers = discovery;
    }

    /** @return the peers' inbox topics whose metadata the producer has (fetched ahead of their first call) */
    public Set<String> fetchedTopics() {
        return Set.copyOf(fetchedTopics);
    }

    /** @return calls sent by their caller's thread through the producer that never blocks, since start */
    public long sentWithoutBlocking() {
        return sentWithoutBlocking.sum();
    }

    /** @return calls made without blocking whose send that producer could not make at once, so a thread of RPC's own made it */
    public long handedOverToLateSends() {
        return handedOver.sum();
    }

    @Override
    public CompletableFuture<Response> call(ServerInfo target, Request request, Duration timeout) {
        CompletableFuture<Response> answer = call(target, request, timeout, false);
        return answer != null ? answer : CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL, "RPC is not running on this server"));
    }

    /**
     * The call, made only if that needs no wait: a free turn of the send gate (Kafka not taken for down) and a send
     * through the producer that never blocks. A send that producer cannot make at once (the target's inbox not in its
     * metadata yet, its buffer full) goes to a thread of KafkaRpc's own, as a late send does; the caller does not wait.
     */
    @Override
    public @Nullable CompletableFuture<Response> callWithoutBlocking(ServerInfo target, Request request, Duration timeout) {
        return call(target, request, timeout, true);
    }

    /** @return the answer; null only when {@code withoutBlocking} and the call cannot start now (nothing was started) */
    private @Nullable CompletableFuture<Response> call(ServerInfo target, Request request, Duration timeout, boolean withoutBlocking) {
        RpcTemplate current = template;
        Executor slow = slowSends;
        if (current == null || slow == null) {
            return null;
        }
        SendGate.Turn turnNow = null;
        if (withoutBlocking) {
            turnNow = senders.tryAcquireNow();
            if (turnNow == null) {
                return null;
            }
        }
        long start = System.nanoTime();
        String route = request.getMsg().getRoute();
        // A tracing bridge writes the trace context through the sender context, into the request's metadata (pitaya's
        // own place for it), so that it travels with the request whatever carries it; without one, nothing is written.
        Observation observation = Observation.createNotStarted("pitaya.rpc.client", KafkaRpc::senderContext, observations)
                .contextualName(route)
                .lowCardinalityKeyValue("route", metrics.routeTag(route))
                .lowCardinalityKeyValue("target.type", target.type())
                .highCardinalityKeyValue("target.id", target.id())
                .start();
        Request outgoing = request;
        if (observation.getContext() instanceof SenderContext<?> sender && sender.getCarrier() instanceof Map<?, ?> propagated
                && !propagated.isEmpty()) {
            Map<String, Object> withTrace = metadata.decode(request.getMetadata());
            propagated.forEach((key, value) -> withTrace.put(String.valueOf(key), value));
            outgoing = request.toBuilder().setMetadata(metadata.encode(withTrace)).build();
        }
        // The record's time is the call's start: the callee measures the request's age from it, wait to be sent included.
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.inboxTopic(target.id()), null, System.currentTimeMillis(),
                null, outgoing.toByteArray());
        record.headers().add(KafkaHeaders.REPLY_TOPIC, replyTopicHeader);
        SendGate.Turn turn = withoutBlocking ? turnNow : senders.acquire(timeout.toNanos());
        if (turn == null) {
            PitayaException failure = new PitayaException(ErrorCodes.INTERNAL, "RPC to " + target.id() + " failed: Kafka is not taking requests");
            failures.warn("kafka-refused", "Kafka is not taking requests (" + (senders.down() ? "the last send found no broker"
                    : "no send returned for 500 ms") + "): RPC " + route + " to server " + target.id() + " failed at once");
            finish(observation, route, start, failure);
            return CompletableFuture.failedFuture(failure);
        }
        // The wait for a turn counts against the call's timeout: the caller gets its answer within it, whatever happens.
        Duration remaining = timeout.minusNanos(System.nanoTime() - start);
        if (remaining.toMillis() < 1) {
            senders.giveBack(turn);
            PitayaException failure = new PitayaException(ErrorCodes.TIMEOUT, "RPC " + route + " to server " + target.id()
                    + " timed out waiting for Kafka to take it");
            finish(observation, route, start, failure);
            return CompletableFuture.failedFuture(failure);
        }
        // A send blocks for up to max.block.ms when the broker's metadata is unknown (Kafka down or coming back). On
        // this thread only while that fits in what is left of the timeout; else on a thread of its own, so that the
        // caller (a handler thread, whose reply to its client waits for this method to return) is answered in time.
        boolean inline = remaining.toNanos() >= maxBlockNanos;
        if (!inline || settings.maxRequestAge().minus(remaining).toMillis() > SHORTER_DEADLINE_MILLIS) {
            // A deadline shorter than the usual: the callee drops the request once it has passed, unrun.
            record.headers().add(TIMEOUT_HEADER, ByteBuffer.allocate(8).putLong(remaining.toMillis()).array());
        }
        CompletableFuture<ConsumerRecord<String, byte[]>> reply;
        if (withoutBlocking) {
            reply = sendWithoutBlocking(current, slow, record, remaining, turn, observation, target, start);
        } else if (inline) {
            reply = send(current, record, remaining, turn, observation, target, start, timeout.toNanos());
        } else {
            reply = sendLate(current, slow, record, remaining, turn, observation, target, start);
        }
        return reply.handle((answer, error) -> {
            if (error != null) {
                PitayaException failure = failure(error, target, request);
                finish(observation, route, start, failure);
                throw failure;
            }
            try {
                Response response = Response.parseFrom(answer.value());
                metrics.rpcCalled(route, System.nanoTime() - start, response.hasError() ? response.getError().getCode() : null);
                observation.lowCardinalityKeyValue("route", metrics.routeTag(route))
                        .lowCardinalityKeyValue("code", response.hasError() ? response.getError().getCode() : "").stop();
                return response;
            } catch (InvalidProtocolBufferException e) {
                PitayaException failure = new PitayaException(ErrorCodes.INTERNAL, "undecodable answer from " + target.id());
                finish(observation, route, start, failure);
                throw failure;
            }
        });
    }

    /** Sends on a thread of KafkaRpc's own, which may block; the caller's future ends within {@code remaining} all the same. */
    private CompletableFuture<ConsumerRecord<String, byte[]>> sendLate(RpcTemplate current, Executor slow, ProducerRecord<String, byte[]> record,
            Duration remaining, SendGate.Turn turn, Observation observation, ServerInfo target, long start) {
        CompletableFuture<ConsumerRecord<String, byte[]>> late = new CompletableFuture<>();
        try {
            slow.execute(() -> send(current, record, remaining, turn, observation, target, start, Long.MAX_VALUE)
                    .whenComplete((answer, error) -> {
                        if (error != null) {
                            late.completeExceptionally(error);
                        } else {
                            late.complete(answer);
                        }
                    }));
        } catch (RejectedExecutionException e) {
            senders.giveBack(turn); // stopping
            late.completeExceptionally(new PitayaException(ErrorCodes.INTERNAL, "RPC to " + target.id() + " failed: RPC is stopping"));
        }
        return late.orTimeout(remaining.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Sends through the producer that never blocks. What it cannot send at once (no metadata of the topic yet, buffer
     * full: Kafka's {@code TimeoutException} after 0 ms, the record not sent) goes as a late send, with the same turn.
     */
    private CompletableFuture<ConsumerRecord<String, byte[]>> sendWithoutBlocking(RpcTemplate current, Executor slow,
            ProducerRecord<String, byte[]> record, Duration remaining, SendGate.Turn turn, Observation observation, ServerInfo target,
            long start) {
        Header[] headers = record.headers().toArray(); // before the template adds its correlation id
        try (Observation.Scope scope = observation.openScope()) {
            RequestReplyFuture<String, byte[], byte[]> reply = current.sendWithoutBlocking(record, remaining);
            sentWithoutBlocking.increment();
            ScheduledFuture<?> replyTimeoutTask = timeouts.takeScheduled();
            senders.release(turn, false);
            cancelOnReply(reply, replyTimeoutTask);
            return reply;
        } catch (RuntimeException e) {
            if (isMetadataTimeout(e)) {
                handedOver.increment();
                ProducerRecord<String, byte[]> again = new ProducerRecord<>(record.topic(), null, record.timestamp(), null, record.value(),
                        java.util.Arrays.asList(headers));
                return sendLate(current, slow, again, remaining, turn, observation, target, start);
            }
            senders.release(turn, false);
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL, "RPC to " + target.id() + " failed: " + kafkasReason(e)));
        }
    }

    /**
     * Sends a request on this thread, then gives its turn back.
     * @param replyTimeout the reply's wait, counted by the template once the send has returned
     * @param start {@link System#nanoTime()} at the call's start
     * @param timeoutNanos the call's whole timeout: a send that blocked takes its time off the reply's wait
     * @return the reply, or failed with a {@link PitayaException} when the send failed at once
     */
    private CompletableFuture<ConsumerRecord<String, byte[]>> send(RpcTemplate current, ProducerRecord<String, byte[]> record,
            Duration replyTimeout, SendGate.Turn turn, Observation observation, ServerInfo target, long start, long timeoutNanos) {
        boolean kafkaDown = false;
        try (Observation.Scope scope = observation.openScope()) {
            RequestReplyFuture<String, byte[], byte[]> reply = current.sendAndReceive(record, replyTimeout);
            ScheduledFuture<?> replyTimeoutTask = timeouts.takeScheduled();
            kafkaDown = failedForMetadata(reply.getSendFuture());
            // Spring schedules the reply timeout after send() returns: a send that blocked (the broker's metadata
            // unknown) takes its time off the reply's wait, so the call still ends within its timeout.
            long spent = System.nanoTime() - start;
            if (spent > SEND_BLOCKED_NANOS && timeoutNanos != Long.MAX_VALUE) {
                reply.orTimeout(Math.max(1, timeoutNanos - spent), TimeUnit.NANOSECONDS);
            }
            cancelOnReply(reply, replyTimeoutTask);
            return reply;
        } catch (RuntimeException e) {
            kafkaDown = isMetadataTimeout(e);
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL, "RPC to " + target.id() + " failed: " + kafkasReason(e)));
        } finally {
            senders.release(turn, kafkaDown);
        }
    }

    /** The template's timeout task of a call leaves the scheduler when the reply comes (it would hold the record until it fired). */
    private static void cancelOnReply(CompletableFuture<?> reply, @Nullable ScheduledFuture<?> replyTimeoutTask) {
        if (replyTimeoutTask != null) {
            reply.whenComplete((answer, error) -> {
                // Not after our own orTimeout: the template's task still has to forget the pending reply.
                if (!(error instanceof TimeoutException)) {
                    replyTimeoutTask.cancel(false);
                }
            });
        }
    }

    /** @return Kafka's own reason for a failed send, which says more than Spring's "Send failed" around it */
    private static String kafkasReason(RuntimeException e) {
        Throwable reason = e;
        while (!(reason instanceof org.apache.kafka.common.KafkaException) && reason.getCause() != null) {
            reason = reason.getCause();
        }
        return reason.getMessage();
    }

    /** @return the context of a call's observation: what a tracing bridge injects lands in its carrier */
    private static SenderContext<Map<String, Object>> senderContext() {
        SenderContext<Map<String, Object>> context = new SenderContext<>((carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        });
        context.setCarrier(new LinkedHashMap<>(4));
        return context;
    }

    /** @return a correlation id unique to this server's run, cheaper than the default random UUID per request */
    private CorrelationKey nextCorrelation() {
        return new CorrelationKey(ByteBuffer.allocate(16).putLong(correlationPrefix).putLong(correlationCounter.incrementAndGet()).array());
    }

    private void finish(Observation observation, String route, long start, PitayaException failure) {
        metrics.rpcCalled(route, System.nanoTime() - start, failure.code());
        observation.lowCardinalityKeyValue("route", metrics.routeTag(route)).lowCardinalityKeyValue("code", failure.code()).error(failure).stop();
    }

    private PitayaException failure(Throwable error, ServerInfo target, Request request) {
        Throwable cause = HandlerInvoker.unwrap(error);
        if (cause instanceof PitayaException known) {
            return known;
        }
        if (cause instanceof KafkaReplyTimeoutException || cause instanceof TimeoutException) {
            String message = "RPC " + request.getMsg().getRoute() + " to server " + target.id() + " timed out";
            failures.warn("timeout:" + target.id(), message);
            return new PitayaException(ErrorCodes.TIMEOUT, message);
        }
        String message = "RPC " + request.getMsg().getRoute() + " to server " + target.id() + " failed: " + cause.getMessage();
        failures.warn("failed:" + target.id(), message);
        return new PitayaException(ErrorCodes.INTERNAL, message);
    }

    private void onRequest(ConsumerRecord<String, byte[]> record) {
        long age = System.currentTimeMillis() - record.timestamp();
        Header replyTopic = record.headers().lastHeader(KafkaHeaders.REPLY_TOPIC);
        Header correlation = record.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
        Header callerTimeout = record.headers().lastHeader(TIMEOUT_HEADER);
        long maxAge = settings.maxRequestAge().toMillis();
        if (callerTimeout != null && callerTimeout.value().length == 8) {
            maxAge = Math.min(maxAge, ByteBuffer.wrap(callerTimeout.value()).getLong());
        }
        if (age > maxAge) {
            logger.debug("dropping a request " + age + " ms old: its caller has timed out");
            return;
        }
        Request request;
        try {
            request = Request.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            logger.warn("undecodable request in " + inbox + ": " + e.getMessage());
            return;
        }
        long expiresAt = record.timestamp() + maxAge;
        handler.handle(request, observations.getCurrentObservation(), expiresAt).thenAccept(response -> {
            if (replyTopic == null || correlation == null || System.currentTimeMillis() > expiresAt) {
                return; // nobody waits for it: no reply to send
            }
            ProducerRecord<String, byte[]> reply = new ProducerRecord<>(new String(replyTopic.value(), StandardCharsets.UTF_8),
                    response.toByteArray());
            reply.headers().add(KafkaHeaders.CORRELATION_ID, correlation.value());
            SendGate.Turn turn = senders.acquire(settings.maxRequestAge().toNanos());
            if (turn == null) {
                logger.debug("reply to " + request.getMsg().getRoute() + " dropped: Kafka is not taking requests");
                return;
            }
            boolean kafkaDown = false;
            try {
                kafkaDown = failedForMetadata(template.send(reply));
            } catch (RuntimeException e) {
                kafkaDown = isMetadataTimeout(e);
                logger.debug("reply to " + request.getMsg().getRoute() + " not sent: " + e.getMessage());
            } finally {
                senders.release(turn, kafkaDown);
            }
        });
    }

    /**
     * @param send a send's future, right after the send returned
     * @return true when it already failed because the broker's metadata did not come within {@code max.block.ms}
     */
    private static boolean failedForMetadata(CompletableFuture<?> send) {
        if (send == null || !send.isCompletedExceptionally()) {
            return false;
        }
        try {
            send.getNow(null);
            return false;
        } catch (RuntimeException e) {
            return isMetadataTimeout(e);
        }
    }

    private static boolean isMetadataTimeout(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** @return calls of this server waiting for their reply: neither answered nor timed out (0 when stopped) */
    public int awaitingReplies() {
        ReplyTimeouts current = timeouts;
        return current == null || template == null ? 0 : current.waiting();
    }

    /** @return requests waiting in this server's inbox, as the inbox consumer last measured (0 before it has) */
    public long inboxLag() {
        KafkaMessageListenerContainer<String, byte[]> container = inboxContainer;
        if (container == null) {
            return 0;
        }
        return KafkaClients.lag(container.metrics());
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        handler = handlers.get();
        createTopics();
        Map<String, Object> producerConfig = producerConfig();
        maxBlockNanos = TimeUnit.MILLISECONDS.toNanos(((Number) producerConfig.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)).longValue());
        producers = new DefaultKafkaProducerFactory<>(producerConfig);
        producers.setPhysicalCloseTimeout(PRODUCER_CLOSE_SECONDS);
        Map<String, Object> nonBlockingConfig = new HashMap<>(producerConfig);
        nonBlockingConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        nonBlockingConfig.put(ProducerConfig.CLIENT_ID_CONFIG, producerConfig.get(ProducerConfig.CLIENT_ID_CONFIG) + "-nb");
        nonBlockingProducers = new DefaultKafkaProducerFactory<>(nonBlockingConfig);
        nonBlockingProducers.setPhysicalCloseTimeout(PRODUCER_CLOSE_SECONDS);
        DefaultKafkaConsumerFactory<String, byte[]> consumers = new DefaultKafkaConsumerFactory<>(consumerConfig());

        // From the end: after a crash, a server with the same id finds its reply topic still full of replies to
        // calls of its last life, which nobody waits for any more.
        ContainerProperties replyProperties = new ContainerProperties(new TopicPartitionOffset(replies, 0, TopicPartitionOffset.SeekPosition.END));
        replyProperties.setAckMode(ContainerProperties.AckMode.MANUAL);
        replyProperties.setPollTimeout(1000);
        KafkaMessageListenerContainer<String, byte[]> replyContainer = new KafkaMessageListenerContainer<>(consumers, replyProperties);
        replyContainer.setBeanName("pitaya-rpc-replies");
        template = new RpcTemplate(producers, nonBlockingProducers, replyContainer);
        template.setObservationEnabled(true);
        template.setObservationRegistry(observations);
        template.setSharedReplyTopic(false);
        template.setDefaultReplyTimeout(settings.maxRequestAge());
        template.setCorrelationIdStrategy(record -> nextCorrelation());
        timeouts = new ReplyTimeouts();
        timeouts.initialize();
        template.setTaskScheduler(timeouts);
        template.start();
        connectProducer();
        CustomizableThreadFactory metadataThreads = new CustomizableThreadFactory("pitaya-rpc-metadata-");
        metadataThreads.setDaemon(true);
        ThreadPoolExecutor fetches = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024),
                metadataThreads, new ThreadPoolExecutor.DiscardPolicy());
        fetches.allowCoreThreadTimeOut(true);
        metadataFetches = fetches;
        ServiceDiscovery view = peers;
        if (view != null) {
            if (!watchingPeers) {
                view.addListener(peerWatcher);
                watchingPeers = true;
            }
            view.all().forEach(this::fetchMetadata);
        }
        CustomizableThreadFactory lateSenders = new CustomizableThreadFactory("pitaya-rpc-late-send-");
        lateSenders.setDaemon(true);
        ThreadPoolExecutor slow = new ThreadPoolExecutor(MAX_SENDERS, MAX_SENDERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), lateSenders);
        slow.allowCoreThreadTimeOut(true);
        slowSends = slow;

        ContainerProperties inboxProperties = new ContainerProperties(new TopicPartitionOffset(inbox, 0, TopicPartitionOffset.SeekPosition.BEGINNING));
        inboxProperties.setAckMode(ContainerProperties.AckMode.MANUAL);
        inboxProperties.setPollTimeout(1000);
        inboxProperties.setMessageListener((MessageListener<String, byte[]>) this::onRequest);
        inboxProperties.setObservationEnabled(true);
        inboxProperties.setObservationRegistry(observations);
        inboxContainer = new KafkaMessageListenerContainer<>(consumers, inboxProperties);
        inboxContainer.setBeanName("pitaya-rpc-inbox");
        inboxContainer.start();
        topicChecks.start(TOPIC_CHECK_INTERVAL);
        running = true;
        logger.info("pitaya RPC on Kafka: inbox " + inbox + ", replies " + replies);
    }

    /**
     * Creates this server's inbox or reply topic again if it has gone, e.g. deleted by another server's
     * stale-topic sweep while this one was missing from that server's view (a flapping health check).
     * Runs every 30 s while RPC runs.
     *
     * @return the topics created again (none when both exist, or when Kafka cannot be asked)
     */
    public Set<String> ensureTopics() {
        Admin admin = Admin.create(settings.admin());
        try {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            Optional<Short> replication = settings.replicationFactor() > 0 ? Optional.of(settings.replicationFactor()) : Optional.empty();
            List<NewTopic> missing = Stream.of(inbox, replies).filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, Optional.of(1), replication)).toList();
            if (missing.isEmpty()) {
                return Set.of();
            }
            try {
                admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            Set<String> created = missing.stream().map(NewTopic::name).collect(java.util.stream.Collectors.toSet());
            logger.warn("RPC topics " + created + " of this server had been deleted (by a stale-topic sweep of a server that took "
                    + "this one for gone?): created again");
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            logger.debug("RPC topic check failed: " + e.getMessage());
            return Set.of();
        } finally {
            // Not Admin's own close, which waits up to a minute for calls still pending when Kafka is gone.
            admin.close(Duration.ZERO);
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        topicChecks.stop();
        inboxContainer.stop();
        if (!handler.awaitIdle(settings.maxRequestAge())) {
            logger.warn("requests still running when RPC stopped");
        }
        template.stop();
        ThreadPoolExecutor fetches = metadataFetches;
        metadataFetches = null;
        if (fetches != null) {
            fetches.shutdownNow();
        }
        fetchedTopics.clear();
        slowSends.shutdown();
        slowSends = null;
        template.destroy();
        template = null;
        timeouts.destroy();
        boolean kafkaDown = senders.down();
        if (kafkaDown) {
            // Nothing queued can reach a broker that is gone: do not wait for it.
            producers.setPhysicalCloseTimeout(0);
            nonBlockingProducers.setPhysicalCloseTimeout(0);
        }
        producers.destroy();
        nonBlockingProducers.destroy();
        if (kafkaDown) {
            logger.info("Kafka is unreachable: RPC topics of server " + self.id() + " left to the stale-topic sweep of the others");
        } else {
            deleteTopics();
        }
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
        // Named after the server in the broker's logs, quotas and the client's metrics, unless the application names it.
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "pitaya-rpc-" + self.id());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        // One produce request at a time per broker: records that come while it is out wait and go
        // together in the next one. Alone, a record still leaves at once (linger 0); under load, batches
        // grow by themselves, and the broker does far fewer requests per record.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        // send() blocks while the broker's metadata is unknown (Kafka down) or the buffer is full: at most half the
        // RPC timeout. A call with at least that much time left sends on its own thread, one with less on a thread of
        // KafkaRpc's own (see call()), so that the caller gets its answer (PIT-408/500) within its timeout.
        long maxBlock = Math.max(1, settings.maxRequestAge().toMillis() / 2);
        Object configured = config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        if (configured != null) {
            maxBlock = Math.min(maxBlock, Long.parseLong(configured.toString()));
        }
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock);
        return config;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = KafkaClients.consumer(settings.consumer());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        return config;
    }

    /**
     * Makes the RPC producer now, connected and with the metadata of this server's inbox (created just before). Made at
     * the first call otherwise, that call would also pay for the producer's threads, its connection and the metadata:
     * on a busy machine (a server's first burst of players after a deploy) long enough for the send gate to take Kafka
     * for down and refuse every call for a while. Kafka is known to be up here: the topics were just created.
     */
    private void connectProducer() {
        try {
            producers.createProducer().partitionsFor(inbox);
            learnWithoutBlocking(nonBlockingProducers, inbox);
        } catch (RuntimeException e) {
            logger.warn("the RPC producer could not read the metadata of " + inbox + " at start: " + e.getMessage()
                    + "; the first call will fetch it");
        }
    }

    /** Fetches the metadata of a server's inbox on the metadata thread; blocks nobody (it may wait up to max.block.ms). */
    private void fetchMetadata(ServerInfo server) {
        ThreadPoolExecutor fetches = metadataFetches;
        DefaultKafkaProducerFactory<String, byte[]> factory = producers;
        if (fetches == null || factory == null || server.id().equals(self.id())) {
            return;
        }
        String topic = settings.inboxTopic(server.id());
        if (fetchedTopics.contains(topic)) {
            return;
        }
        DefaultKafkaProducerFactory<String, byte[]> nonBlocking = nonBlockingProducers;
        fetches.execute(() -> {
            try {
                factory.createProducer().partitionsFor(topic);
                learnWithoutBlocking(nonBlocking, topic);
                if (metadataFetches == fetches) {
                    fetchedTopics.add(topic);
                }
            } catch (RuntimeException e) {
                logger.debug("metadata of " + topic + " not fetched ahead: " + e.getMessage());
            }
        });
    }

    /**
     * Makes the producer that never blocks learn a topic's metadata. Its {@code partitionsFor} fails at once while it
     * does not have it, having asked the broker for it: asked again until it has, for up to {@code max.block.ms}.
     */
    private void learnWithoutBlocking(DefaultKafkaProducerFactory<String, byte[]> factory, String topic) {
        long deadline = System.nanoTime() + maxBlockNanos;
        while (true) {
            try {
                factory.createProducer().partitionsFor(topic);
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void createTopics() {
        try (Admin admin = Admin.create(settings.admin())) {
            Optional<Short> replication = settings.replicationFactor() > 0 ? Optional.of(settings.replicationFactor()) : Optional.empty();
            List<NewTopic> topics = List.of(new NewTopic(inbox, Optional.of(1), replication), new NewTopic(replies, Optional.of(1), replication));
            try {
                admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create RPC topics " + inbox + ", " + replies + ": " + e.getCause().getMessage(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating RPC topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create RPC topics within 30s (spring.kafka.bootstrap-servers?)", e);
        }
    }

    private void deleteTopics() {
        Admin admin = Admin.create(settings.admin());
        try {
            admin.deleteTopics(List.of(inbox, replies)).all().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            logger.warn("could not remove RPC topics of server " + self.id() + ": " + e.getMessage());
        } finally {
            // Not Admin's own close, which waits up to a minute for calls still pending when Kafka is gone.
            admin.close(Duration.ZERO);
        }
    }
}
