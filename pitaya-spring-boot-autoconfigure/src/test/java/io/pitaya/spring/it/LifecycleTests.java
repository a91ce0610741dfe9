package io.pitaya.spring.it;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.pitaya.client.PitayaClient;
import io.pitaya.spring.acceptor.tcp.TcpAcceptor;
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
        assertThat(all).containsSubsequence("init", "afterInit", "bind:leaving", "later:answered before closing", "beforeShutdown",
                "callback:leaving", "shutdown");
        client.close();
    }
}
