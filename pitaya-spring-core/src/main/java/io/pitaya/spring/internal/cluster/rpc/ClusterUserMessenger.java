package io.pitaya.spring.internal.cluster.rpc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.google.protobuf.ByteString;
import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.proto.PitayaProto;
import io.pitaya.protocol.proto.PitayaProto.KickMsg;
import io.pitaya.protocol.proto.PitayaProto.Push;
import io.pitaya.protocol.proto.PitayaProto.PushBatch;
import io.pitaya.protocol.proto.PitayaProto.PushBatchAnswer;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.SessionBindingStore;
import io.pitaya.spring.internal.dispatch.HandlerInvoker;
import io.pitaya.spring.internal.session.LocalUserMessenger;
import io.pitaya.spring.internal.support.RateLimitedLog;
import io.pitaya.spring.metrics.PitayaMetrics;
import io.pitaya.spring.session.UserMessenger;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Pushes and kicks users wherever they are connected: this server's own sessions first, then the
 * frontend a binding names; without a binding, every frontend of the requested type. Pushes and
 * kicks to other frontends are sent without waiting for an answer (as pitaya publishes them), so a
 * broadcast never waits on a frontend; a uid fails when it is known unreachable (not bound, or bound to a
 * frontend that is gone or out of routing). Sends that fail later are logged, counted per frontend.
 */
public class ClusterUserMessenger implements UserMessenger {

    private static final PitayaProto.Session NO_SESSION = PitayaProto.Session.getDefaultInstance();

    private final LocalUserMessenger local;
    private final RpcClient cluster;
    private final SessionBindingStore bindings;
    private final PitayaMetrics metrics;
    private final RateLimitedLog undelivered = new RateLimitedLog(LogFactory.getLog(ClusterUserMessenger.class),
            RateLimitedLog.DEFAULT_INTERVAL);

    /**
     * @param local this server's own sessions
     * @param cluster reaches other frontends
     * @param bindings uid to frontend, or {@code null} to always ask every frontend of the type
     * @param metrics counts broadcast pushes that reached nobody
     */
    public ClusterUserMessenger(LocalUserMessenger local, RpcClient cluster, @Nullable SessionBindingStore bindings, PitayaMetrics metrics) {
        this.local = local;
        this.cluster = cluster;
        this.bindings = bindings;
        this.metrics = metrics;
    }

    /**
     * This server's own sessions first; then one {@link SysRoutes#PUSH_BATCH} with every other uid to each other frontend
     * of the type, without a binding lookup per uid and without waiting: each frontend pushes to those it holds and
     * answers how many, and once all have answered the pushes that reached nobody are counted. A frontend that does not
     * serve batches (an older version, during a rolling upgrade) gets one {@link SysRoutes#PUSH} per uid instead.
     */
    @Override
    public List<String> broadcast(String route, byte[] body, Collection<String> uids, String frontendType) {
        List<String> remaining = servesLocally(frontendType) ? local.push(route, body, uids, frontendType) : List.copyOf(uids);
        if (remaining.isEmpty()) {
            return List.of();
        }
        String self = cluster.self().id();
        List<ServerInfo> frontends = cluster.frontends(frontendType).stream()
                .filter(f -> !f.id().equals(self) && !cluster.isEjected(f.id()))
                .toList();
        if (frontends.isEmpty()) {
            metrics.broadcastUndelivered(remaining.size());
            return remaining;
        }
        ByteString data = ByteString.copyFrom(body);
        byte[] batch = null;
        Tally tally = new Tally(remaining.size());
        for (ServerInfo frontend : frontends) {
            if ("1".equals(frontend.metadata().get(SysRoutes.PUSH_BATCH_METADATA))) {
                if (batch == null) {
                    batch = PushBatch.newBuilder().setRoute(route).setData(data).addAllUids(remaining).build().toByteArray();
                }
                tally.expect(1);
                cluster.sys(frontend.id(), SysRoutes.PUSH_BATCH, NO_SESSION, batch).whenComplete((answer, error) -> {
                    int delivered = 0;
                    if (error != null) {
                        undelivered.warn(SysRoutes.PUSH_BATCH + ":" + frontend.id(), "broadcast " + route + " to frontend " + frontend.id()
                                + " failed: " + HandlerInvoker.unwrap(error).getMessage());
                    } else {
                        try {
                            delivered = PushBatchAnswer.parseFrom(answer).getDelivered();
                        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                            undelivered.warn(SysRoutes.PUSH_BATCH + ":" + frontend.id(), "frontend " + frontend.id()
                                    + " answered a broadcast with an undecodable answer");
                        }
                    }
                    tally.answered(delivered);
                });
            } else {
                tally.expect(remaining.size());
                for (String uid : remaining) {
                    byte[] push = Push.newBuilder().setRoute(route).setUid(uid).setData(data).build().toByteArray();
                    cluster.sys(frontend.id(), SysRoutes.PUSH, NO_SESSION, push)
                            .whenComplete((answer, error) -> tally.answered(error == null ? 1 : 0));
                }
            }
        }
        tally.sent();
        return List.of();
    }

    /** Counts the pushes of one broadcast that reached nobody, once every frontend has answered. */
    private final class Tally {
        private final int pushes;
        /** Answers awaited, plus one until every send has left (so that early answers do not end the count). */
        private final AtomicInteger pending = new AtomicInteger(1);
        private final AtomicInteger delivered = new AtomicInteger();

        Tally(int pushes) {
            this.pushes = pushes;
        }

        void expect(int answers) {
            pending.addAndGet(answers);
        }

        void answered(int deliveredThere) {
            if (deliveredThere > 0) {
                delivered.addAndGet(deliveredThere);
            }
            done();
        }

        void sent() {
            done();
        }

        private void done() {
            if (pending.decrementAndGet() == 0) {
                int lost = pushes - delivered.get();
                if (lost > 0) {
                    metrics.broadcastUndelivered(lost);
                }
            }
        }
    }

    @Override
    public List<String> push(String route, byte[] body, Collection<String> uids, String frontendType) {
        List<String> remaining = servesLocally(frontendType) ? local.push(route, body, uids, frontendType) : List.copyOf(uids);
        ByteString data = ByteString.copyFrom(body);
        return deliver(remaining, frontendType, uid -> Push.newBuilder().setRoute(route).setUid(uid)
                .setData(data).build().toByteArray(), SysRoutes.PUSH);
    }

    @Override
    public List<String> kick(Collection<String> uids, String frontendType, String code, String reason) {
        List<String> remaining = servesLocally(frontendType) ? local.kick(uids, frontendType, code, reason) : List.copyOf(uids);
        return deliver(remaining, frontendType, uid -> KickMsg.newBuilder().setUserId(uid).setCode(code == null ? "" : code)
                .setReason(reason == null ? "" : reason).build().toByteArray(), SysRoutes.KICK);
    }

    private boolean servesLocally(String frontendType) {
        ServerInfo self = cluster.self();
        return self.frontend() && (frontendType == null || frontendType.equals(self.type()));
    }

    /**
     * Sends to each uid's frontend without waiting for its answer, as pitaya publishes pushes and kicks: a
     * handler never waits on a frontend, least of all on one that died and is still registered.
     *
     * @return the uids known not to be reachable: unbound, bound to a frontend that is gone or out of
     *         routing (outlier detection), or with no frontend to try
     */
    private List<String> deliver(List<String> uids, String frontendType, Function<String, byte[]> argument, String sysRoute) {
        if (uids.isEmpty()) {
            return List.of();
        }
        String self = cluster.self().id();
        List<ServerInfo> everyFrontend = null;
        List<String> failed = new ArrayList<>();
        for (String uid : uids) {
            List<ServerInfo> targets;
            boolean held;
            String bound = bindings == null ? null : bindings.frontendOf(uid);
            if (bound != null) {
                ServerInfo boundTo = bound.equals(self) ? null : cluster.discovery().server(bound);
                targets = boundTo == null || cluster.isEjected(boundTo.id()) ? List.of() : List.of(boundTo);
                held = !targets.isEmpty();
            } else {
                // No binding (no store, a uid never bound, or a store that could not be read): every frontend of
                // the type is asked. With a store, the uid still counts as unreachable: no frontend is known to hold it.
                if (everyFrontend == null) {
                    everyFrontend = cluster.frontends(frontendType).stream()
                            .filter(f -> !f.id().equals(self) && !cluster.isEjected(f.id()))
                            .toList();
                }
                targets = everyFrontend;
                held = bindings == null && !targets.isEmpty();
            }
            if (!held) {
                failed.add(uid);
            }
            if (targets.isEmpty()) {
                continue;
            }
            byte[] arg = argument.apply(uid);
            for (ServerInfo target : targets) {
                cluster.sys(target.id(), sysRoute, NO_SESSION, arg).whenComplete((answer, error) -> {
                    Throwable cause = error == null ? null : HandlerInvoker.unwrap(error);
                    // PIT-404: the user is not on that frontend, the expected answer of all frontends but one.
                    if (cause != null && !(cause instanceof PitayaException e && ErrorCodes.NOT_FOUND.equals(e.code()))) {
                        undelivered.warn(sysRoute + ":" + target.id(), sysRoute + " of uid " + uid + " to frontend " + target.id()
                                + " failed: " + cause.getMessage());
                    }
                });
            }
        }
        return failed;
    }
}
