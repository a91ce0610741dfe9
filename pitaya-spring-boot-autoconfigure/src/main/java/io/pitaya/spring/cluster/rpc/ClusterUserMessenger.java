package io.pitaya.spring.cluster.rpc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pitaya.protocol.proto.KickAnswer;
import io.pitaya.protocol.proto.KickMsg;
import io.pitaya.protocol.proto.Push;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.binding.SessionBindingStore;
import io.pitaya.spring.session.LocalUserMessenger;
import io.pitaya.spring.session.UserMessenger;

/**
 * Pushes and kicks users wherever they are connected: this server's own sessions first, then the
 * frontend a binding names, else every frontend of the requested type. A uid fails when no frontend
 * delivered to it.
 */
public class ClusterUserMessenger implements UserMessenger {

    private static final io.pitaya.protocol.proto.Session NO_SESSION = io.pitaya.protocol.proto.Session.getDefaultInstance();

    private final LocalUserMessenger local;
    private final Cluster cluster;
    private final SessionBindingStore bindings;

    /**
     * @param local this server's own sessions
     * @param cluster reaches other frontends
     * @param bindings uid to frontend, or {@code null} to always ask every frontend of the type
     */
    public ClusterUserMessenger(LocalUserMessenger local, Cluster cluster, SessionBindingStore bindings) {
        this.local = local;
        this.cluster = cluster;
        this.bindings = bindings;
    }

    @Override
    public List<String> push(String route, byte[] body, Collection<String> uids, String frontendType) {
        List<String> remaining = servesLocally(frontendType) ? local.push(route, body, uids, frontendType) : List.copyOf(uids);
        ByteString data = ByteString.copyFrom(body);
        return deliver(remaining, frontendType, uid -> Push.newBuilder().setRoute(route).setUid(uid)
                .setData(data).build().toByteArray(), SysRoutes.PUSH, answer -> true);
    }

    @Override
    public List<String> kick(Collection<String> uids, String frontendType) {
        List<String> remaining = servesLocally(frontendType) ? local.kick(uids, frontendType) : List.copyOf(uids);
        return deliver(remaining, frontendType, uid -> KickMsg.newBuilder().setUserId(uid).build().toByteArray(), SysRoutes.KICK,
                answer -> {
                    try {
                        return KickAnswer.parseFrom(answer).getKicked();
                    } catch (InvalidProtocolBufferException e) {
                        return false;
                    }
                });
    }

    private boolean servesLocally(String frontendType) {
        ServerInfo self = cluster.self();
        return self.frontend() && (frontendType == null || frontendType.equals(self.type()));
    }

    private List<String> deliver(List<String> uids, String frontendType, java.util.function.Function<String, byte[]> argument,
                                 String sysRoute, java.util.function.Predicate<byte[]> delivered) {
        if (uids.isEmpty()) {
            return List.of();
        }
        List<ServerInfo> frontends = cluster.frontends(frontendType).stream()
                .filter(f -> !f.id().equals(cluster.self().id()))
                .toList();
        List<CompletableFuture<Boolean>> outcomes = new ArrayList<>(uids.size());
        for (String uid : uids) {
            String bound = bindings == null ? null : bindings.frontendOf(uid);
            ServerInfo boundTo = bound == null ? null : cluster.discovery().server(bound);
            List<ServerInfo> targets = boundTo != null ? List.of(boundTo) : frontends;
            byte[] arg = argument.apply(uid);
            List<CompletableFuture<Boolean>> attempts = targets.stream()
                    .map(target -> cluster.sys(target.id(), sysRoute, NO_SESSION, arg)
                            .thenApply(delivered::test)
                            .exceptionally(e -> false))
                    .toList();
            outcomes.add(CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new))
                    .thenApply(v -> attempts.stream().anyMatch(CompletableFuture::join)));
        }
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < uids.size(); i++) {
            if (!outcomes.get(i).join()) {
                failed.add(uids.get(i));
            }
        }
        return failed;
    }
}
