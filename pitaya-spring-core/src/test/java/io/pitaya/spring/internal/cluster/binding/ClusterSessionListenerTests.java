package io.pitaya.spring.internal.cluster.binding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.pitaya.protocol.HandshakeRequest;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.protocol.proto.PitayaProto.Response;
import io.pitaya.serialize.JsonSerializer;
import io.pitaya.spring.cluster.InMemorySessionBindingStore;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.ServerListener;
import io.pitaya.spring.cluster.ServiceDiscovery;
import io.pitaya.spring.cluster.SessionBindingStore;
import io.pitaya.spring.internal.cluster.rpc.OutlierDetector;
import io.pitaya.spring.internal.cluster.rpc.RpcClient;
import io.pitaya.spring.internal.cluster.rpc.SessionData;
import io.pitaya.spring.internal.cluster.rpc.SysRoutes;
import io.pitaya.spring.internal.session.LocalSession;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.internal.session.SessionRegistry;
import io.pitaya.spring.internal.session.SessionRegistryTests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** What a frontend writes to the binding store when its sessions bind and close. */
class ClusterSessionListenerTests {

    static final ServerInfo SELF = new ServerInfo("connector-1", "connector", true, "h1", Map.of());
    static final ServerInfo OTHER = new ServerInfo("connector-2", "connector", true, "h2", Map.of());

    final InMemorySessionBindingStore store = new InMemorySessionBindingStore();
    final List<Request> calls = new ArrayList<>();
    final RpcClient cluster = new RpcClient(SELF, new Servers(), (target, request, timeout) -> {
        calls.add(request);
        return CompletableFuture.completedFuture(Response.getDefaultInstance());
    }, new SessionData(JsonMapper.builder().build()), Map.of(), Duration.ofSeconds(1), new OutlierDetector(3, Duration.ofSeconds(1)));

    @Test
    void bindingAUidHeldByAnotherLiveFrontendKicksItThere() {
        store.bind("alice", OTHER.id());
        ClusterSessionListener listener = new ClusterSessionListener(() -> store, cluster, true);
        LocalSession session = session(listener);

        session.bind("alice");

        assertThat(store.frontendOf("alice")).isEqualTo(SELF.id());
        assertThat(calls).singleElement().satisfies(call -> assertThat(call.getMsg().getRoute()).isEqualTo(SysRoutes.KICK));
    }

    @Test
    void aSessionClosedWhileTheStoreWasBindingLeavesNoBindingBehind() {
        // The close runs (and unbinds nothing: the store has not written yet) while the store is binding.
        LocalSession[] closing = new LocalSession[1];
        SessionBindingStore slow = new InMemorySessionBindingStore() {
            @Override
            public String bind(String uid, String frontendId) {
                closing[0].closed(true);
                return super.bind(uid, frontendId);
            }
        };
        ClusterSessionListener listener = new ClusterSessionListener(() -> slow, cluster, true);
        closing[0] = session(listener);

        closing[0].bind("bob");

        assertThat(slow.frontendOf("bob")).as("a binding to a closed session would hide the user from every push").isNull();
    }

    private static LocalSession session(ClusterSessionListener listener) {
        SessionRegistry registry = new SessionRegistry(true, List.of(listener));
        LocalSession session = new LocalSession(registry.nextId(), new SessionRegistryTests.RecordingTransport(), registry,
                new OutboundEncoder(new JsonSerializer(), new MessageCodec()));
        session.opened(HandshakeRequest.of("test", "0", Map.of()));
        return session;
    }

    /** connector-1 and connector-2. */
    static final class Servers implements ServiceDiscovery {
        @Override
        public List<ServerInfo> servers(String type) {
            return List.of(SELF, OTHER);
        }

        @Override
        public ServerInfo server(String id) {
            return id.equals(SELF.id()) ? SELF : id.equals(OTHER.id()) ? OTHER : null;
        }

        @Override
        public Collection<ServerInfo> all() {
            return List.of(SELF, OTHER);
        }

        @Override
        public void addListener(ServerListener listener) {
        }
    }
}
