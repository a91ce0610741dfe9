package io.pitaya.spring.internal.cluster.rpc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageType;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.protocol.Route;
import io.pitaya.protocol.proto.PitayaProto.Error;
import io.pitaya.protocol.proto.PitayaProto.KickAnswer;
import io.pitaya.protocol.proto.PitayaProto.KickMsg;
import io.pitaya.protocol.proto.PitayaProto.MsgType;
import io.pitaya.protocol.proto.PitayaProto.Push;
import io.pitaya.protocol.proto.PitayaProto.PushBatch;
import io.pitaya.protocol.proto.PitayaProto.PushBatchAnswer;
import io.pitaya.protocol.proto.PitayaProto.RPCType;
import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.protocol.proto.PitayaProto.Response;
import io.pitaya.spring.PitayaContext;
import io.pitaya.spring.internal.dispatch.HandlerInvoker;
import io.pitaya.spring.internal.dispatch.RemoteInvoker;
import io.pitaya.spring.internal.session.LocalSession;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.internal.session.SessionRegistry;
import io.pitaya.spring.internal.support.RateLimitedLog;
import io.pitaya.spring.metrics.PitayaMetrics;
import io.pitaya.spring.session.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.function.SingletonSupplier;

/**
 * Answers the requests other servers send to this one: client messages forwarded by a frontend (run
 * through the same {@link HandlerInvoker} as local clients, with a {@link BackendSession}), calls to
 * {@code @PitayaRemote} methods, and the built-in {@link SysRoutes} of a frontend.
 */
public class ClusterRequestHandler {

    private static final Log logger = LogFactory.getLog(ClusterRequestHandler.class);
    private static final Response EMPTY = Response.getDefaultInstance();

    private final RpcClient cluster;
    private final HandlerInvoker handlers;
    private final RemoteInvoker remotes;
    private final SessionRegistry sessions;
    private final OutboundEncoder encoder;
    private final Executor executor;
    private final int maxPending;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final RateLimitedLog refusals = new RateLimitedLog(logger, RateLimitedLog.DEFAULT_INTERVAL);
    private final PitayaMetrics metrics;
    private final ObservationRegistry observations;

    /**
     * @param cluster this server and the others
     * @param handlers runs forwarded client messages
     * @param remotes calls this server's remotes
     * @param sessions this frontend's sessions (for the built-in remotes)
     * @param encoder serializes pushes and non-protobuf payloads
     * @param executor runs the work, off the transport's thread
     * @param maxPending calls held at most (queued or running); more are refused at once with PIT-503
     * @param metrics measures delays and response times
     * @param observations observes every request ({@code pitaya.rpc.server}), child of the transport's observation
     */
    public ClusterRequestHandler(RpcClient cluster, HandlerInvoker handlers, RemoteInvoker remotes, SessionRegistry sessions,
                                 OutboundEncoder encoder, Executor executor, int maxPending, PitayaMetrics metrics,
                                 ObservationRegistry observations) {
        this.cluster = cluster;
        this.handlers = handlers;
        this.remotes = remotes;
        this.sessions = sessions;
        this.encoder = encoder;
        this.executor = executor;
        this.maxPending = maxPending;
        this.metrics = metrics;
        this.observations = observations;
    }

    /**
     * @param request a request from another server
     * @param parent the transport's observation of the request (carrying the caller's trace), or {@code null}
     * @return its answer; never fails: errors travel inside the {@link Response}
     */
    public CompletableFuture<Response> handle(Request request, @Nullable Observation parent) {
        return handle(request, parent, Long.MAX_VALUE);
    }

    /**
     * @param request a request from another server
     * @param parent the transport's observation of the request (carrying the caller's trace), or {@code null}
     * @param expiresAtMillis when its caller gives up (epoch milliseconds): a request still queued then is not run
     * @return its answer; never fails: errors travel inside the {@link Response}
     */
    public CompletableFuture<Response> handle(Request request, @Nullable Observation parent, long expiresAtMillis) {
        String route = request.getMsg().getRoute();
        if (inFlight.incrementAndGet() > maxPending) {
            inFlight.decrementAndGet();
            refusals.warn("overloaded", "refused " + route + " from server " + request.getFrontendID() + ": " + maxPending
                    + " calls already waiting or running (pitaya.cluster.rpc.max-pending)");
            return CompletableFuture.completedFuture(errorResponse(new PitayaException(ErrorCodes.OVERLOADED,
                    "server " + cluster.self().id() + " is overloaded"), request));
        }
        long arrived = System.nanoTime();
        CompletableFuture<Response> answer = new CompletableFuture<>();
        String type = request.getType() == RPCType.User ? PitayaMetrics.TYPE_RPC : PitayaMetrics.TYPE_HANDLER;
        try {
            executor.execute(() -> {
                long start = System.nanoTime();
                if (System.currentTimeMillis() > expiresAtMillis) {
                    // Its caller has given up while it queued: running it now is work for nobody.
                    refusals.info("expired", "dropped " + route + " from server " + request.getFrontendID()
                            + ": it waited in this server's queue past its caller's timeout");
                    metrics.delayed(route, PitayaMetrics.DELAY_REMOTE, start - arrived);
                    answer.complete(errorResponse(new PitayaException(ErrorCodes.TIMEOUT, "request " + route
                            + " expired in the queue of server " + cluster.self().id()), request));
                    return;
                }
                // A tracing bridge reads the caller's trace context from the metadata through the receiver context.
                Observation observation = Observation.createNotStarted("pitaya.rpc.server", () -> receiverContext(request), observations)
                        .parentObservation(parent)
                        .contextualName(route)
                        .lowCardinalityKeyValue("route", metrics.routeTag(route))
                        .lowCardinalityKeyValue("type", type)
                        .highCardinalityKeyValue("caller.id", request.getFrontendID())
                        .start();
                CompletableFuture<Response> result;
                // The caller's context (its metadata), decoded only if the handler or remote asks for it.
                Supplier<PitayaContext> context = SingletonSupplier.of(
                        () -> PitayaContext.fromMetadata(cluster.sessionData().decode(request.getMetadata()), arrived));
                try (Observation.Scope scope = observation.openScope(); PitayaContext.Scope bound = PitayaContext.bind(context)) {
                    result = run(request);
                } catch (java.lang.Error e) {
                    // Thrown past the handler (an interceptor, a serializer): the caller still gets an answer.
                    result = CompletableFuture.completedFuture(errorResponse(e, request));
                }
                result.whenComplete((response, error) -> {
                    Response outcome = error == null ? response : errorResponse(error, request);
                    String code = outcome.hasError() ? outcome.getError().getCode() : null;
                    metrics.handled(route, type, System.nanoTime() - start, code);
                    metrics.delayed(route, PitayaMetrics.DELAY_REMOTE, start - arrived);
                    observation.lowCardinalityKeyValue("route", metrics.routeTag(route))
                            .lowCardinalityKeyValue("code", code == null ? "" : code).stop();
                    answer.complete(outcome);
                });
            });
        } catch (RejectedExecutionException e) {
            answer.complete(errorResponse(new PitayaException(ErrorCodes.INTERNAL, "server is stopping"), request));
        }
        return answer.whenComplete((r, e) -> inFlight.decrementAndGet());
    }

    /**
     * Waits until no request is being handled, for a graceful stop.
     * @param timeout the longest wait
     * @return true when idle in time
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return inFlight.get() == 0;
    }

    /** @return the context of a served request's observation, its carrier the request's metadata (decoded when read) */
    private ReceiverContext<Request> receiverContext(Request request) {
        Supplier<Map<String, Object>> metadata = SingletonSupplier.of(() -> cluster.sessionData().decode(request.getMetadata()));
        ReceiverContext<Request> context = new ReceiverContext<>((carrier, key) -> {
            Object value = metadata.get().get(key);
            return value == null ? null : value.toString();
        });
        context.setCarrier(request);
        return context;
    }

    private CompletableFuture<Response> run(Request request) {
        try {
            String route = request.getMsg().getRoute();
            if (request.getType() == RPCType.User) {
                return remote(request);
            }
            return switch (route) {
                case SysRoutes.BIND_SESSION -> done(bindSession(request));
                case SysRoutes.PUSH_SESSION -> done(pushSession(request));
                case SysRoutes.KICK -> done(kick(request));
                case SysRoutes.PUSH -> done(push(request));
                case SysRoutes.PUSH_BATCH -> done(pushBatch(request));
                default -> forwarded(request);
            };
        } catch (RuntimeException | InvalidProtocolBufferException e) {
            return CompletableFuture.completedFuture(errorResponse(e, request));
        }
    }

    private CompletableFuture<Response> forwarded(Request request) {
        Route route = route(request.getMsg().getRoute());
        MessageType type = request.getMsg().getType() == MsgType.MsgNotify ? MessageType.NOTIFY : MessageType.REQUEST;
        Message message = new Message(type, request.getMsg().getId(), request.getMsg().getRoute(),
                request.getMsg().getData().toByteArray(), false);
        Session session = new BackendSession(request.getSession(), request.getFrontendID(), cluster, encoder);
        return handlers.invoke(session, route, message).thenApply(ClusterRequestHandler::ok);
    }

    private CompletableFuture<Response> remote(Request request) {
        return remotes.invoke(route(request.getMsg().getRoute()), request.getMsg().getData().toByteArray())
                .thenApply(ClusterRequestHandler::ok);
    }

    private Response bindSession(Request request) {
        LocalSession session = localSession(request);
        session.bind(request.getSession().getUid());
        return EMPTY;
    }

    private Response pushSession(Request request) {
        LocalSession session = localSession(request);
        session.setData(cluster.sessionData().decode(request.getSession().getData()));
        return EMPTY;
    }

    private Response kick(Request request) throws InvalidProtocolBufferException {
        KickMsg kick = KickMsg.parseFrom(request.getMsg().getData());
        Session session = kick.getUserId().isEmpty() ? sessions.byId(request.getSession().getId()) : sessions.byUid(kick.getUserId());
        boolean kicked = session != null && !session.isClosed();
        if (kicked) {
            if (kick.getCode().isEmpty()) {
                session.kick();
            } else {
                session.kick(kick.getCode(), kick.getReason());
            }
        }
        return ok(KickAnswer.newBuilder().setKicked(kicked).build().toByteArray());
    }

    private Response push(Request request) throws InvalidProtocolBufferException {
        Push push = Push.parseFrom(request.getMsg().getData());
        Session session = push.getUid().isEmpty() ? sessions.byId(request.getSession().getId()) : sessions.byUid(push.getUid());
        if (!(session instanceof LocalSession local) || !local.send(encoder.push(push.getRoute(), push.getData().toByteArray()))) {
            throw new PitayaException(ErrorCodes.NOT_FOUND, "user " + (push.getUid().isEmpty() ? "of session " + request.getSession().getId() : push.getUid())
                    + " is not connected to frontend " + cluster.self().id());
        }
        return EMPTY;
    }

    /** One broadcast for many uids, serialized once: pushed to those this frontend holds; answers how many. */
    private Response pushBatch(Request request) throws InvalidProtocolBufferException {
        PushBatch batch = PushBatch.parseFrom(request.getMsg().getData());
        byte[] packet = encoder.push(batch.getRoute(), batch.getData().toByteArray());
        int delivered = 0;
        for (String uid : batch.getUidsList()) {
            if (sessions.byUid(uid) instanceof LocalSession local && local.send(packet)) {
                delivered++;
            }
        }
        return ok(PushBatchAnswer.newBuilder().setDelivered(delivered).build().toByteArray());
    }

    private LocalSession localSession(Request request) {
        Session session = sessions.byId(request.getSession().getId());
        if (!(session instanceof LocalSession local)) {
            throw new PitayaException(ErrorCodes.NOT_FOUND, "session " + request.getSession().getId() + " is not on frontend " + cluster.self().id());
        }
        return local;
    }

    private Route route(String route) {
        try {
            Route parsed = Route.parse(route, cluster.self().type());
            if (!parsed.serverType().equals(cluster.self().type())) {
                throw new PitayaException(ErrorCodes.NOT_FOUND, "route " + route + " is not served by a " + cluster.self().type() + " server");
            }
            return parsed;
        } catch (ProtocolException e) {
            throw new PitayaException(ErrorCodes.BAD_REQUEST, e.getMessage());
        }
    }

    private static CompletableFuture<Response> done(Response response) {
        return CompletableFuture.completedFuture(response);
    }

    private static Response ok(byte[] data) {
        return data.length == 0 ? EMPTY : Response.newBuilder().setData(ByteString.copyFrom(data)).build();
    }

    private Response errorResponse(Throwable error, Request request) {
        PitayaException pitaya = HandlerInvoker.toPitayaException(error, logger,
                () -> "request " + request.getMsg().getRoute() + " from server " + request.getFrontendID() + " failed");
        return Response.newBuilder()
                .setError(Error.newBuilder().setCode(pitaya.code()).setMsg(pitaya.getMessage() == null ? "" : pitaya.getMessage())
                        .putAllMetadata(pitaya.metadata()))
                .build();
    }
}
