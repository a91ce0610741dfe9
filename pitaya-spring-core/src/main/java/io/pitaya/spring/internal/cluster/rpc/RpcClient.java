package io.pitaya.spring.internal.cluster.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import com.google.protobuf.ByteString;
import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageType;
import io.pitaya.protocol.Route;
import io.pitaya.protocol.proto.PitayaProto;
import io.pitaya.protocol.proto.PitayaProto.Msg;
import io.pitaya.protocol.proto.PitayaProto.MsgType;
import io.pitaya.protocol.proto.PitayaProto.RPCType;
import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.protocol.proto.PitayaProto.Response;
import io.pitaya.spring.PitayaContext;
import io.pitaya.spring.cluster.Router;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.ServiceDiscovery;
import io.pitaya.spring.internal.dispatch.HandlerInvoker;
import io.pitaya.spring.session.Session;
import org.jspecify.annotations.Nullable;

/**
 * What this server asks of the others: forward client messages, call remotes, and reach frontends'
 * built-in remotes. Every call has a timeout (PIT-408) and brings back the callee's errors unchanged.
 */
public class RpcClient {

    /** The route of outlier probes: served by no server, so that any server alive answers it with PIT-404. */
    static final String PROBE_ROUTE = "pitaya.outlier.probe";

    private static final int MAX_CACHED_ROUTES = 4096;

    private final ServerInfo self;
    private final ServiceDiscovery discovery;
    private final RpcTransport rpc;
    private final SessionData sessionData;
    private final Map<String, Router> routers;
    private final Duration timeout;
    private final OutlierDetector outliers;
    /** Request metadata depends only on the route: encoded once per route (bounded, routes come from clients). */
    private final Map<String, ByteString> metadataByRoute = new ConcurrentHashMap<>();

    /**
     * @param self this server
     * @param discovery the live servers
     * @param rpc the transport
     * @param sessionData encodes session data
     * @param routers custom routers by server type
     * @param timeout default time a call may take
     * @param outliers takes servers that stop answering out of routing
     */
    public RpcClient(ServerInfo self, ServiceDiscovery discovery, RpcTransport rpc, SessionData sessionData,
                   Map<String, Router> routers, Duration timeout, OutlierDetector outliers) {
        this.self = self;
        this.discovery = discovery;
        this.rpc = rpc;
        this.sessionData = sessionData;
        this.routers = Map.copyOf(routers);
        this.timeout = timeout;
        this.outliers = outliers;
        outliers.probeWith(this::probe);
    }

    /**
     * Asks a server that was out of routing whether it answers again, with a call no player waits for: a route
     * no server serves, so any answer (PIT-404) proves it alive; a timeout keeps it out.
     */
    private void probe(ServerInfo server) {
        Request ping = Request.newBuilder()
                .setType(RPCType.Sys)
                .setMsg(Msg.newBuilder().setRoute(PROBE_ROUTE).setType(MsgType.MsgRequest))
                .setFrontendID(self.id())
                .build();
        call(server, ping, timeout).whenComplete((answer, error) -> { });
    }

    /** @return this server */
    public ServerInfo self() {
        return self;
    }

    /** @return the live servers */
    public ServiceDiscovery discovery() {
        return discovery;
    }

    /** @return session data encoding */
    public SessionData sessionData() {
        return sessionData;
    }

    /**
     * Forwards a client's Request or Notify to a server of the route's type.
     * @param session the client's session
     * @param route the parsed route
     * @param message the message
     * @param arrivedNanos {@link System#nanoTime()} when the message was ready to run: the RPC timeout runs from then,
     *        so that a client's request is answered within it even when it waited for a handler thread
     * @return the response body
     */
    public CompletableFuture<byte[]> forward(Session session, Route route, Message message, long arrivedNanos) {
        return Objects.requireNonNull(forward(session, route, message, arrivedNanos, false), "a blocking call always answers");
    }

    /**
     * The same, only if it needs no wait of the calling thread and runs no application code: for an event loop.
     * Routes whose server type has a custom {@link Router} (application code, which may block) are not forwarded here.
     * @param session the client's session
     * @param route the parsed route
     * @param message the message
     * @param arrivedNanos {@link System#nanoTime()} when the message arrived
     * @return the response body as {@link #forward}, or {@code null} when it cannot be forwarded without waiting (nothing
     *         was sent: forward it with {@link #forward} from a thread that may wait)
     */
    public @Nullable CompletableFuture<byte[]> forwardWithoutBlocking(Session session, Route route, Message message, long arrivedNanos) {
        if (!forwardsWithoutBlocking(route.serverType())) {
            return null;
        }
        return forward(session, route, message, arrivedNanos, true);
    }

    /**
     * @param serverType a server type
     * @return true when messages for it may be forwarded without blocking: routed by the default router, not application code
     */
    public boolean forwardsWithoutBlocking(String serverType) {
        return !routers.containsKey(serverType);
    }

    private @Nullable CompletableFuture<byte[]> forward(Session session, Route route, Message message, long arrivedNanos, boolean withoutBlocking) {
        Duration left = timeout.minusNanos(System.nanoTime() - arrivedNanos);
        if (left.toMillis() < 1) {
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.TIMEOUT, route + " waited out its timeout on this server"));
        }
        List<ServerInfo> servers = outliers.available(discovery.servers(route.serverType()));
        if (servers.isEmpty()) {
            return noServer(route.serverType());
        }
        ServerInfo target;
        try {
            Router router = routers.get(route.serverType());
            target = router != null ? router.route(session, route, message.data(), servers)
                    : servers.get(ThreadLocalRandom.current().nextInt(servers.size()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL, "routing " + route + " failed: " + e.getMessage()));
        }
        if (target == null) {
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL, "router chose no server for " + route));
        }
        String name = route.toString();
        Request request = Request.newBuilder()
                .setType(RPCType.Sys)
                .setSession(sessionData.toProto(session))
                .setMsg(Msg.newBuilder()
                        .setId(message.id())
                        .setRoute(name)
                        .setData(ByteString.copyFrom(message.data()))
                        .setType(message.type() == MessageType.NOTIFY ? MsgType.MsgNotify : MsgType.MsgRequest))
                .setFrontendID(self.id())
                .setMetadata(metadata(name))
                .build();
        return call(target, request, left, withoutBlocking);
    }

    /**
     * Calls a remote ({@code @PitayaRemote}) on a server of the route's type, or on one server.
     * @param serverId the server to call, or {@code null} to pick one of the route's type at random
     * @param route {@code serverType.remote.method}
     * @param arg the serialized argument
     * @param callTimeout how long the call may take, {@code null} for the default
     * @param context keys that travel with the call in its metadata, and a deadline that shortens the timeout
     * @return the serialized answer
     */
    public CompletableFuture<byte[]> remote(@Nullable String serverId, String route, byte[] arg, @Nullable Duration callTimeout, PitayaContext context) {
        Duration limit = callTimeout != null ? callTimeout : timeout;
        java.util.Optional<Duration> left = context.remaining();
        if (left.isPresent()) {
            if (left.get().toMillis() < 1) {
                return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.TIMEOUT, "the caller's deadline passed before " + route));
            }
            limit = left.get().compareTo(limit) < 0 ? left.get() : limit;
        }
        ServerInfo target;
        if (serverId != null) {
            target = discovery.server(serverId);
            if (target == null) {
                return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL, "server " + serverId + " is not available"));
            }
            if (outliers.isEjected(serverId)) {
                return notAnswering(target);
            }
        } else {
            String type = route.substring(0, Math.max(0, route.indexOf('.')));
            List<ServerInfo> servers = outliers.available(discovery.servers(type));
            if (servers.isEmpty()) {
                return noServer(type);
            }
            target = servers.get(ThreadLocalRandom.current().nextInt(servers.size()));
        }
        ByteString metadata = context.values().isEmpty() && left.isEmpty() ? metadata(route)
                : sessionData.encode(context.toMetadata(hop(route)));
        Request request = Request.newBuilder()
                .setType(RPCType.User)
                .setMsg(Msg.newBuilder().setRoute(route).setData(ByteString.copyFrom(arg)).setType(MsgType.MsgRequest))
                .setFrontendID(self.id())
                .setMetadata(metadata)
                .build();
        return call(target, request, limit);
    }

    /**
     * Calls a frontend's built-in remote about one of its sessions.
     * @param frontendId the frontend
     * @param route one of {@link SysRoutes}
     * @param session the session concerned (id, uid, data)
     * @param data the route's argument
     * @return the serialized answer
     */
    public CompletableFuture<byte[]> sys(String frontendId, String route, PitayaProto.Session session, byte[] data) {
        ServerInfo target = discovery.server(frontendId);
        if (target == null) {
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL, "frontend " + frontendId + " is not available"));
        }
        if (outliers.isEjected(frontendId)) {
            return notAnswering(target); // a push or broadcast never waits on a frontend that stopped answering
        }
        Request request = Request.newBuilder()
                .setType(RPCType.Sys)
                .setSession(session)
                .setMsg(Msg.newBuilder().setRoute(route).setData(ByteString.copyFrom(data)).setType(MsgType.MsgRequest))
                .setFrontendID(self.id())
                .setMetadata(metadata(route))
                .build();
        return call(target, request, timeout);
    }

    /**
     * @param serverId a server
     * @return true while the server is out of routing because its calls timed out (outlier detection)
     */
    public boolean isEjected(String serverId) {
        return outliers.isEjected(serverId);
    }

    /**
     * @param frontendType a frontend type, or {@code null} for every frontend
     * @return the live frontends of that type
     */
    public List<ServerInfo> frontends(@Nullable String frontendType) {
        return (frontendType != null ? discovery.servers(frontendType) : List.copyOf(discovery.all())).stream()
                .filter(ServerInfo::frontend)
                .toList();
    }

    private CompletableFuture<byte[]> call(ServerInfo target, Request request, Duration callTimeout) {
        return Objects.requireNonNull(call(target, request, callTimeout, false), "a blocking call always answers");
    }

    /** @return the body of the answer; null only when {@code withoutBlocking} and the transport cannot call without waiting */
    private @Nullable CompletableFuture<byte[]> call(ServerInfo target, Request request, Duration callTimeout, boolean withoutBlocking) {
        long sent = System.nanoTime();
        CompletableFuture<Response> reply = withoutBlocking ? rpc.callWithoutBlocking(target, request, callTimeout)
                : rpc.call(target, request, callTimeout);
        if (reply == null) {
            return null;
        }
        outliers.calling(target);
        return reply.handle((response, error) -> {
            if (error != null) {
                if (HandlerInvoker.unwrap(error) instanceof PitayaException e && ErrorCodes.TIMEOUT.equals(e.code())) {
                    outliers.timedOut(target, sent);
                }
                throw error instanceof CompletionException completion ? completion : new CompletionException(error);
            }
            outliers.answered(target);
            return body(response);
        });
    }

    private static CompletableFuture<byte[]> notAnswering(ServerInfo target) {
        return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL,
                "server " + target.id() + " is not answering (out of routing after timeouts)"));
    }

    /**
     * @param response an answer
     * @return its body
     * @throws PitayaException the error it carries, code, message and metadata unchanged
     */
    public static byte[] body(Response response) {
        if (response.hasError()) {
            throw new PitayaException(response.getError().getCode(), response.getError().getMsg(), response.getError().getMetadataMap());
        }
        return response.getData().toByteArray();
    }

    private ByteString metadata(String route) {
        ByteString cached = metadataByRoute.get(route);
        if (cached != null) {
            return cached;
        }
        ByteString metadata = sessionData.encode(hop(route));
        if (metadataByRoute.size() < MAX_CACHED_ROUTES) {
            metadataByRoute.put(route, metadata);
        }
        return metadata;
    }

    /** The metadata keys pitaya sets on every hop. */
    private Map<String, Object> hop(String route) {
        return Map.of("req-route", route, "peer.id", self.id(), "peer.service", self.type());
    }

    private static CompletableFuture<byte[]> noServer(String type) {
        return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL, "no server of type " + type + " is available"));
    }
}
