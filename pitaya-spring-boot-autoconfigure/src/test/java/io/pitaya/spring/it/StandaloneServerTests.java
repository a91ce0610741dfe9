package io.pitaya.spring.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.pitaya.PitayaException;
import io.pitaya.client.PitayaClient;
import io.pitaya.protocol.HandshakeResponse;
import io.pitaya.protocol.proto.PitayaProto.KickMsg;
import io.pitaya.spring.internal.component.HandlerMethod;
import io.pitaya.spring.internal.component.HandlerRegistry;
import io.pitaya.spring.internal.component.RemoteRegistry;
import io.pitaya.spring.it.EchoComponent.Message;
import io.pitaya.spring.it.EchoComponent.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.pitaya.spring.it.Futures.await;
import static io.pitaya.spring.it.Futures.error;
import static org.assertj.core.api.Assertions.assertThat;

/** A standalone server and the Java client, over TCP and WebSocket: the happy paths and the error codes. */
@StandaloneGameServerTest
class StandaloneServerTests extends ServerTestSupport {

    @Test
    void componentsAndRemotesInTheApplicationPackagesAreFoundEvenWithTheSameName() {
        assertThat(context.getBean(HandlerRegistry.class).find("echo.echo")).isNotNull();
        HandlerMethod remote = context.getBean(RemoteRegistry.class).find("echo.ping");
        assertThat(remote).isNotNull();
        assertThat(remote.payloadType()).isEqualTo(KickMsg.class);
        assertThat(context.getBean(RemoteRegistry.class).all()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void handshakeAnnouncesHeartbeatDictionaryAndSerializer(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);

        HandshakeResponse answer = client.handshakeResponse();
        assertThat(answer.code()).isEqualTo(200);
        assertThat(answer.heartbeat()).hasSeconds(30);
        assertThat(answer.serializer()).isEqualTo("json");
        assertThat(answer.dict()).containsEntry("game.echo.echo", 1).containsEntry("onTold", 2);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void requestGetsTheHandlersReturnValue(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);

        Reply reply = await(client.request("echo.echo", new Message("hi", 7), Reply.class));
        Reply threePart = await(client.request("game.echo.echo", new Message("again", 8), Reply.class));

        assertThat(reply.text()).isEqualTo("hi");
        assertThat(reply.n()).isEqualTo(7);
        assertThat(reply.session()).isPositive();
        assertThat(threePart).isEqualTo(new Reply("again", 8, reply.session()));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void rawBytesMapsAndNoArgumentHandlersWork(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);
        byte[] raw = {0, 1, 2, (byte) 0xFF};

        assertThat(await(client.request("echo.raw", raw))).containsExactly(raw);
        assertThat(await(client.request("echo.map", Map.of("a", 1), Map.class))).isEqualTo(Map.of("a", 1));
        assertThat(await(client.request("echo.noArgs", new byte[0], String.class))).isEqualTo("no args");
        assertThat(await(client.request("echo.renamed", new byte[0], String.class))).isEqualTo("renamed");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void asynchronousHandlersAnswerWhenTheirFutureCompletes(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);

        assertThat(await(client.request("echo.later", new Message("async", 3), Reply.class)).text()).isEqualTo("async");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void notifyRunsTheHandlerAndPushesReachTheClient(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);
        BlockingQueue<Message> pushes = new LinkedBlockingQueue<>();
        client.onPush("onTold", Message.class, pushes::add);

        client.notify("echo.tell", new Message("pushed", 1));

        assertThat(pushes.poll(5, TimeUnit.SECONDS)).isEqualTo(new Message("pushed", 1));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void errorsCarryPitayasCodes(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);

        PitayaException application = error(client.request("echo.fail", new Message("way", 0), String.class));
        assertThat(application.code()).isEqualTo("GAME-42");
        assertThat(application.getMessage()).isEqualTo("no way");
        assertThat(application.metadata()).containsEntry("reason", "test");

        assertThat(error(client.request("echo.missing", new byte[0])).code()).isEqualTo("PIT-404");
        assertThat(error(client.request("nothing.echo.echo", new byte[0])).code()).isEqualTo("PIT-500");
        assertThat(error(client.request("echo", new byte[0])).code()).isEqualTo("PIT-400");
        assertThat(error(client.request("a.b.c.d", new byte[0])).code()).isEqualTo("PIT-400");
        assertThat(error(client.request("echo..x", new byte[0])).code()).isEqualTo("PIT-400");
        assertThat(error(client.request("echo.echo", "{not json".getBytes(StandardCharsets.UTF_8))).code()).isEqualTo("PIT-400");
        assertThat(error(client.request("echo.tell", new Message("x", 0), String.class)).code())
                .as("a Request to a notify handler").isEqualTo("PIT-400");
        assertThat(error(client.request("echo.boom", new byte[0])))
                .satisfies(e -> assertThat(e.code()).isEqualTo("PIT-000"))
                .satisfies(e -> assertThat(e.getMessage()).isEqualTo("kaboom"));
        assertThat(error(client.request("echo.nothing", new byte[0])).code()).isEqualTo("PIT-000");
        assertThat(error(client.request("echo.map", Map.of("forbidden", true), Map.class)).code())
                .as("rejected by an interceptor").isEqualTo("GAME-403");

        assertThat(await(client.request("echo.noArgs", new byte[0], String.class)))
                .as("the connection still serves after errors").isEqualTo("no args");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void handshakeUserDataReachesTheSession(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport, Map.of("age", 30));

        assertThat(await(client.request("echo.handshake", new byte[0], Map.class))).isEqualTo(Map.of("age", 30));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sessionDataPersistsAcrossMessagesOfASession(Transport transport) throws Exception {
        PitayaClient client = server.connect(transport);

        await(client.request("echo.data", Map.of("level", 3), Map.class));
        Map<?, ?> data = await(client.request("echo.data", Map.of("gold", 10), Map.class));

        assertThat(data).isEqualTo(Map.of("level", 3, "gold", 10));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void oneSessionIsHandledInOrderWhileOthersRunInParallel(Transport transport) throws Exception {
        // Generous deadlines: this checks order and parallelism, not speed, and CI machines may be busy.
        PitayaClient ordered = server.connect(server.builder(transport).requestTimeout(Duration.ofSeconds(60)));
        PitayaClient blocked = server.connect(server.builder(transport).requestTimeout(Duration.ofSeconds(60)));
        PitayaClient other = server.connect(transport);

        CompletableFuture<String> blocking = blocked.request("echo.block", new byte[0], String.class);
        Thread.sleep(100);
        List<CompletableFuture<Map>> replies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            replies.add(ordered.request("echo.seq", new Message("", i), Map.class));
        }
        assertThat(await(other.request("echo.noArgs", new byte[0], String.class)))
                .as("another session runs while one is blocked").isEqualTo("no args");
        for (int i = 0; i < 1000; i++) {
            assertThat(await(replies.get(i))).as("reply %d", i).isEqualTo(Map.of("n", i, "inOrder", true));
        }
        assertThat(blocking).isNotDone();
        other.notify("echo.release", new byte[0]);
        assertThat(await(blocking)).isEqualTo("released");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void compressedRequestBodiesAreInflated(Transport transport) throws Exception {
        PitayaClient client = server.connect(server.builder(transport).compressData(true));
        String text = "x".repeat(10_000);

        assertThat(await(client.request("echo.echo", new Message(text, 1), Reply.class)).text()).isEqualTo(text);
    }
}
