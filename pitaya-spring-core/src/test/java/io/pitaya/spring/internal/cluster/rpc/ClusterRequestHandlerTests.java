package io.pitaya.spring.internal.cluster.rpc;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import io.micrometer.observation.ObservationRegistry;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.proto.PitayaProto.Msg;
import io.pitaya.protocol.proto.PitayaProto.MsgType;
import io.pitaya.protocol.proto.PitayaProto.RPCType;
import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.protocol.proto.PitayaProto.Response;
import io.pitaya.serialize.JsonSerializer;
import io.pitaya.spring.cluster.InMemoryServiceRegistry;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.component.NamingStrategy;
import io.pitaya.spring.internal.cluster.discovery.DiscoveryClientServiceDiscovery;
import io.pitaya.spring.internal.component.HandlerRegistry;
import io.pitaya.spring.internal.component.RemoteRegistry;
import io.pitaya.spring.internal.dispatch.HandlerInvoker;
import io.pitaya.spring.internal.dispatch.RemoteInvoker;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.internal.session.SessionRegistry;
import io.pitaya.spring.metrics.PitayaMetrics;
import io.pitaya.spring.session.Session;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** A backend's admission of forwarded requests: bounded, and nothing run for a caller that gave up. */
class ClusterRequestHandlerTests {

    /** The room handler: counts its runs. */
    public static class Room {
        final AtomicInteger runs = new AtomicInteger();

        public String enter(Session session) {
            runs.incrementAndGet();
            return "in";
        }
    }

    final Room room = new Room();
    final Queue<Runnable> queued = new ArrayDeque<>();
    final Executor held = queued::add;

    ClusterRequestHandler handler(int maxPending) {
        ServerInfo self = new ServerInfo("room-1", "room", false, "h", Map.of());
        HandlerRegistry handlers = new HandlerRegistry(NamingStrategy.AS_WRITTEN);
        handlers.register("room", room);
        JsonSerializer json = new JsonSerializer();
        RpcClient cluster = new RpcClient(self, new DiscoveryClientServiceDiscovery(new InMemoryServiceRegistry(), Duration.ofMinutes(1)),
                (target, request, timeout) -> CompletableFuture.failedFuture(new IllegalStateException("no calls here")),
                new SessionData(JsonMapper.builder().build()), Map.of(), Duration.ofSeconds(1), new OutlierDetector(3, Duration.ofSeconds(1)));
        return new ClusterRequestHandler(cluster, new HandlerInvoker(handlers, json, List.of()),
                new RemoteInvoker(new RemoteRegistry(NamingStrategy.AS_WRITTEN), json), new SessionRegistry(true, List.of()),
                new OutboundEncoder(json, new MessageCodec()), held, maxPending, PitayaMetrics.NONE, ObservationRegistry.NOOP);
    }

    static Request enter() {
        return Request.newBuilder().setType(RPCType.Sys).setFrontendID("connector-1")
                .setMsg(Msg.newBuilder().setRoute("room.room.enter").setType(MsgType.MsgRequest).setData(ByteString.EMPTY))
                .build();
    }

    @Test
    void beyondMaxPendingARequestIsRefusedAtOnceWithPit503() {
        ClusterRequestHandler handler = handler(2);
        CompletableFuture<Response> first = handler.handle(enter(), null, Long.MAX_VALUE);
        CompletableFuture<Response> second = handler.handle(enter(), null, Long.MAX_VALUE);

        CompletableFuture<Response> third = handler.handle(enter(), null, Long.MAX_VALUE);

        assertThat(third).isCompleted();
        assertThat(third.join().getError().getCode()).isEqualTo("PIT-503");
        assertThat(queued).hasSize(2);
        queued.poll().run();
        assertThat(first.join().hasError()).isFalse();
        assertThat(handler.handle(enter(), null, Long.MAX_VALUE)).as("room again once one finished").isNotCompleted();
        queued.forEach(Runnable::run);
        assertThat(second.join().hasError()).isFalse();
    }

    @Test
    void aRequestWhoseCallerGaveUpWhileItQueuedIsNotRun() {
        ClusterRequestHandler handler = handler(10);
        CompletableFuture<Response> late = handler.handle(enter(), null, System.currentTimeMillis() + 50);
        CompletableFuture<Response> onTime = handler.handle(enter(), null, System.currentTimeMillis() + 60_000);

        sleep(100);
        queued.forEach(Runnable::run);

        assertThat(late.join().getError().getCode()).isEqualTo("PIT-408");
        assertThat(onTime.join().hasError()).isFalse();
        assertThat(room.runs).as("only the request whose caller still waits").hasValue(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
