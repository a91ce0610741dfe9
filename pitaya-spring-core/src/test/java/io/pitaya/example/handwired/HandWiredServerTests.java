package io.pitaya.example.handwired;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.ObservationRegistry;
import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.client.PitayaClient;
import io.pitaya.protocol.HandshakeCodec;
import io.pitaya.protocol.HandshakeResponse;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.serialize.JsonSerializer;
import io.pitaya.serialize.Serializer;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.acceptor.ConnectionEvents;
import io.pitaya.spring.component.ComponentLifecycle;
import io.pitaya.spring.component.NamingStrategy;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.internal.DefaultPitaya;
import io.pitaya.spring.internal.acceptor.ConnectionLimits;
import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.acceptor.ServerLifecycle;
import io.pitaya.spring.internal.acceptor.tcp.TcpAcceptor;
import io.pitaya.spring.internal.component.ComponentRegistrar;
import io.pitaya.spring.internal.component.ComponentScanner;
import io.pitaya.spring.internal.component.HandlerRegistry;
import io.pitaya.spring.internal.component.RemoteRegistry;
import io.pitaya.spring.internal.dispatch.Dispatcher;
import io.pitaya.spring.internal.dispatch.HandlerExecutor;
import io.pitaya.spring.internal.dispatch.HandlerInvoker;
import io.pitaya.spring.internal.dispatch.MessageForwarder;
import io.pitaya.spring.internal.dispatch.RemoteCalls;
import io.pitaya.spring.internal.dispatch.RemoteInvoker;
import io.pitaya.spring.internal.group.InMemoryGroupService;
import io.pitaya.spring.internal.session.LocalUserMessenger;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.internal.session.SessionRegistry;
import io.pitaya.spring.metrics.PitayaMetrics;
import io.pitaya.spring.session.Session;
import io.pitaya.spring.session.UserMessenger;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A team that does not use Spring Boot wires the server by hand in a plain Spring Framework context: the
 * same objects the auto-configuration creates, with its defaults spelt out, and a real client over TCP.
 */
class HandWiredServerTests {

    /** A handler found by the component scanner in this test's package. */
    @PitayaComponent("room")
    public static class Room implements ComponentLifecycle {

        private final Pitaya pitaya;

        public Room(Pitaya pitaya) {
            this.pitaya = pitaya;
        }

        @Override
        public void init() {
            pitaya.groups().create("room");
        }

        public Map<String, Object> join(Session session, Map<String, Object> request) {
            String uid = String.valueOf(request.get("name"));
            session.bind(uid);
            pitaya.groups().add("room", uid);
            pitaya.groups().broadcast("room", "onJoin", Map.of("name", uid));
            return Map.of("joined", uid);
        }
    }

    @Test
    void serverWiredWithoutSpringBootAnswersRequestsAndPushes() throws Exception {
        try (AnnotationConfigApplicationContext context = handWired()) {
            context.refresh();
            int port = context.getBean(TcpAcceptor.class).port();
            PitayaClient client = PitayaClient.builder().tcp("127.0.0.1", port).build();
            try {
                client.connect().get(5, TimeUnit.SECONDS);
                CompletableFuture<Map> pushed = new CompletableFuture<>();
                client.onPush("onJoin", Map.class, pushed::complete);

                Map<?, ?> reply = client.request("room.room.join", Map.of("name", "ana"), Map.class).get(5, TimeUnit.SECONDS);

                assertThat(reply.get("joined")).isEqualTo("ana");
                assertThat(pushed.get(5, TimeUnit.SECONDS).get("name")).isEqualTo("ana");
                assertThatThrownBy(() -> client.request("room.room.leave", Map.of(), Map.class).get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(PitayaException.class)
                        .cause().extracting(e -> ((PitayaException) e).code()).isEqualTo(ErrorCodes.NOT_FOUND);
            } finally {
                client.close();
            }
        }
    }

    private static AnnotationConfigApplicationContext handWired() {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        String type = "room";
        context.registerBean(ComponentScanner.class, () -> new ComponentScanner(List.of(HandWiredServerTests.class.getPackageName())));
        context.registerBean(Serializer.class, () -> new JsonSerializer());
        context.registerBean(MessageCodec.class, () -> new MessageCodec());
        context.registerBean(HandlerRegistry.class, () -> new HandlerRegistry(NamingStrategy.AS_WRITTEN));
        context.registerBean(RemoteRegistry.class, () -> new RemoteRegistry(NamingStrategy.AS_WRITTEN));
        context.registerBean(ComponentRegistrar.class, () -> new ComponentRegistrar(context.getBeanFactory(),
                context.getBean(HandlerRegistry.class), context.getBean(RemoteRegistry.class)));
        context.registerBean(SessionRegistry.class, () -> new SessionRegistry(false, List.of()));
        context.registerBean(OutboundEncoder.class, () -> new OutboundEncoder(context.getBean(Serializer.class), context.getBean(MessageCodec.class)));
        context.registerBean(UserMessenger.class, () -> new LocalUserMessenger(context.getBean(SessionRegistry.class), context.getBean(OutboundEncoder.class)));
        context.registerBean(GroupService.class, () -> new InMemoryGroupService(context.getBean(UserMessenger.class), context.getBean(OutboundEncoder.class)));
        context.registerBean(HandlerExecutor.class, () -> HandlerExecutor.pool(4));
        context.registerBean(RemoteInvoker.class, () -> new RemoteInvoker(context.getBean(RemoteRegistry.class), context.getBean(Serializer.class), List.of()));
        context.registerBean(Pitaya.class, () -> new DefaultPitaya("room-1", type, context.getBean(SessionRegistry.class), context.getBean(GroupService.class),
                context.getBean(OutboundEncoder.class), context.getBean(UserMessenger.class),
                RemoteCalls.standalone(type, "room-1", context.getBean(RemoteInvoker.class)), context.getBean(RemoteInvoker.class),
                context.getBean(HandlerExecutor.class).executor()));
        context.registerBean(Dispatcher.class, () -> new Dispatcher(type,
                new HandlerInvoker(context.getBean(HandlerRegistry.class), context.getBean(Serializer.class), List.of()),
                context.getBean(OutboundEncoder.class), MessageForwarder.standalone(), context.getBean(HandlerExecutor.class).executor(),
                100, 1 << 20, Duration.ofSeconds(30), PitayaMetrics.NONE, ObservationRegistry.NOOP));
        context.registerBean(ConnectionManager.class, () -> new ConnectionManager(new HandshakeCodec(),
                new HandshakeResponse(HandshakeResponse.OK, Duration.ofSeconds(30), Map.of(), "json"), false, List.of(),
                context.getBean(SessionRegistry.class), context.getBean(OutboundEncoder.class), context.getBean(MessageCodec.class),
                context.getBean(Dispatcher.class), Duration.ofSeconds(10), ConnectionLimits.of(8192, 1 << 20, Duration.ofSeconds(10)),
                Map.of(), ConnectionEvents.NONE));
        context.registerBean(TcpAcceptor.class, () -> new TcpAcceptor(context.getBean(ConnectionManager.class), "127.0.0.1", 0, 1 << 20, null));
        context.registerBean(ServerLifecycle.class, () -> new ServerLifecycle(context.getBean(ComponentRegistrar.class),
                context.getBean(ConnectionManager.class), context.getBean(SessionRegistry.class), List.of(context.getBean(TcpAcceptor.class)),
                Duration.ofSeconds(5), 0, lifecycle -> { }));
        return context;
    }
}
