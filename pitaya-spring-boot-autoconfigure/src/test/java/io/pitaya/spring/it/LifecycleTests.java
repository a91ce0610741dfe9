package io.pitaya.spring.it;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.internal.acceptor.tcp.TcpAcceptor;
import io.pitaya.spring.it.EchoComponent.Message;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static io.pitaya.spring.it.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Component lifecycle and graceful stop, in pitaya's order, through Spring's own lifecycle. */
class LifecycleTests {

    @Test
    void componentsSeeInitAfterInitBeforeShutdownAndShutdownAroundSessionClose() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TestGameApplication.class)
                .web(WebApplicationType.NONE)
                .properties("pitaya.acceptor.tcp.port=0", "pitaya.server.type=game")
                .run();
        Events events = context.getBean(Events.class);
        assertThat(events.all()).containsExactly("init", "afterInit");
        assertThat(context.getBeansOfType(org.springframework.web.socket.WebSocketHandler.class)).isEmpty();

        PitayaClient client = PitayaClient.builder().tcp("127.0.0.1", context.getBean(TcpAcceptor.class).port()).build();
        client.connect().get(5, TimeUnit.SECONDS);
        CountDownLatch closed = new CountDownLatch(1);
        client.onClose(closed::countDown);
        await(client.request("echo.bind", new Message("leaving", 0), String.class));
        java.util.concurrent.CompletableFuture<EchoComponent.Reply> inFlight =
                client.request("echo.later", new Message("answered before closing", 5), EchoComponent.Reply.class);
        org.awaitility.Awaitility.await().until(() -> events.all().contains("later:answered before closing"));

        context.close();

        assertThat(inFlight.get(5, TimeUnit.SECONDS).text()).as("in-flight request answered during shutdown")
                .isEqualTo("answered before closing");
        assertThat(closed.await(5, TimeUnit.SECONDS)).as("client disconnected at shutdown").isTrue();
        List<String> all = events.all();
        assertThat(all).containsSubsequence("init", "afterInit", "bind:leaving", "later:answered before closing",
                "readiness:REFUSING_TRAFFIC", "beforeShutdown", "callback:leaving", "shutdown");
        client.close();
    }

    @Test
    void whenDrainingIsOnSessionsAreKickedGraduallyBeforeClosing() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TestGameApplication.class)
                .web(WebApplicationType.NONE)
                .properties("pitaya.acceptor.tcp.port=0", "pitaya.server.type=game",
                        "pitaya.shutdown.kick-sessions=true", "pitaya.shutdown.kick-rate=40")
                .run();
        int port = context.getBean(TcpAcceptor.class).port();
        java.util.List<Long> kicks = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<PitayaClient> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            PitayaClient client = PitayaClient.builder().tcp("127.0.0.1", port).build();
            client.connect().get(5, TimeUnit.SECONDS);
            client.onKick(() -> kicks.add(System.nanoTime()));
            // A round trip: the server has taken the handshake ack and the session is working before the stop.
            assertThat(client.request("echo.noArgs", new byte[0], String.class).get(5, TimeUnit.SECONDS)).isEqualTo("no args");
            clients.add(client);
        }

        context.close();

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> kicks.size() == 6);
        long spreadMillis = (kicks.stream().mapToLong(Long::longValue).max().getAsLong()
                - kicks.stream().mapToLong(Long::longValue).min().getAsLong()) / 1_000_000;
        assertThat(spreadMillis).as("2 per 50 ms batch: at least two pauses between the first and the last").isGreaterThanOrEqualTo(90);
        clients.forEach(PitayaClient::close);
    }
}
