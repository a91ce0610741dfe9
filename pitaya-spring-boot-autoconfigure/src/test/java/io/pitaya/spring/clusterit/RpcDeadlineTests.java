package io.pitaya.spring.clusterit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.pitaya.PitayaException;
import io.pitaya.protocol.proto.PitayaProto.Msg;
import io.pitaya.protocol.proto.PitayaProto.MsgType;
import io.pitaya.protocol.proto.PitayaProto.RPCType;
import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.protocol.proto.PitayaProto.Response;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.internal.cluster.kafka.KafkaRpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A Kafka send blocks for up to {@code max.block.ms} while the broker's metadata for its topic is unknown (a broker
 * coming back; here, deterministically, a server whose inbox topic does not exist). A call is still answered within
 * its own timeout, however much of it was spent before the send: the caller's thread never waits out the block.
 */
class RpcDeadlineTests {

    static final Duration RPC_TIMEOUT = Duration.ofSeconds(2);
    /** What the frontend's producer may block a send for: half the RPC timeout. */
    static final Duration MAX_BLOCK = RPC_TIMEOUT.dividedBy(2);

    static InJvmCluster cluster;
    static ConfigurableApplicationContext backend;
    static ConfigurableApplicationContext frontend;
    static final ServerInfo NO_INBOX = new ServerInfo("room-without-inbox", "room", false, "nowhere", Map.of());

    @BeforeAll
    static void start() {
        cluster = new InJvmCluster();
        backend = cluster.backend("room-d");
        frontend = cluster.frontend("connector-d");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static Request whoami() {
        return Request.newBuilder().setType(RPCType.Sys)
                .setMsg(Msg.newBuilder().setRoute("room.room.whoami").setData(ByteString.EMPTY).setType(MsgType.MsgRequest))
                .setFrontendID("connector-d").build();
    }

    static PitayaException failure(CompletableFuture<Response> call) throws Exception {
        try {
            call.get(10, TimeUnit.SECONDS);
            return fail("expected the call to fail");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PitayaException.class);
            return (PitayaException) e.getCause();
        }
    }

    @Test
    void aCallWithLessTimeLeftThanASendMayBlockIsAnsweredAtItsDeadlineNotWhenTheSendGivesUp() throws Exception {
        KafkaRpc rpc = frontend.getBean(KafkaRpc.class);
        Duration left = Duration.ofMillis(300);

        long start = System.nanoTime();
        CompletableFuture<Response> call = rpc.call(NO_INBOX, whoami(), left);
        Duration returned = Duration.ofNanos(System.nanoTime() - start);
        PitayaException error = failure(call);
        Duration answered = Duration.ofNanos(System.nanoTime() - start);

        assertThat(error.code()).as(error.getMessage()).isEqualTo("PIT-408");
        assertThat(returned).as("the calling thread is not held by the blocked send").isLessThan(left);
        assertThat(answered).as("answered at its deadline, before the send gave up").isGreaterThanOrEqualTo(left).isLessThan(MAX_BLOCK);
        awaitServing(rpc);
    }

    @Test
    void aSendThatBlocksOnUnknownMetadataEndsWithinTheCallsTimeout() throws Exception {
        KafkaRpc rpc = frontend.getBean(KafkaRpc.class);

        long start = System.nanoTime();
        PitayaException error = failure(rpc.call(NO_INBOX, whoami(), RPC_TIMEOUT));
        Duration answered = Duration.ofNanos(System.nanoTime() - start);

        assertThat(error.code()).as(error.getMessage()).isEqualTo("PIT-500");
        assertThat(error.getMessage()).contains("not present in metadata");
        assertThat(answered).as("the send gave up after max.block.ms, within the timeout").isLessThan(RPC_TIMEOUT);
        awaitServing(rpc);
    }

    @Test
    void aCallWithoutBlockingNeverWaitsForMetadataItsProducerLacks() throws Exception {
        KafkaRpc rpc = frontend.getBean(KafkaRpc.class);
        long handedOver = rpc.handedOverToLateSends();

        long start = System.nanoTime();
        CompletableFuture<Response> call = rpc.callWithoutBlocking(NO_INBOX, whoami(), RPC_TIMEOUT);
        Duration returned = Duration.ofNanos(System.nanoTime() - start);

        assertThat(call).as("Kafka takes sends: the call is made").isNotNull();
        assertThat(returned).as("the calling thread (an event loop) does not wait for the metadata").isLessThan(MAX_BLOCK.dividedBy(2));
        assertThat(rpc.handedOverToLateSends()).as("the send went to a thread that may block").isEqualTo(handedOver + 1);
        PitayaException error = failure(call);
        assertThat(error.code()).as(error.getMessage()).isEqualTo("PIT-500");
        assertThat(error.getMessage()).contains("not present in metadata");
        awaitServing(rpc);
    }

    @Test
    void aCallWithoutBlockingIsDeclinedWhileKafkaIsTakenForDownAndMadeOnceItIsBack() throws Exception {
        KafkaRpc rpc = frontend.getBean(KafkaRpc.class);
        ServerInfo room = new ServerInfo("room-d", "room", false, "here", Map.of());
        awaitServing(rpc);
        long sent = rpc.sentWithoutBlocking();
        CompletableFuture<Response> made = rpc.callWithoutBlocking(room, whoami(), RPC_TIMEOUT);
        assertThat(made).isNotNull();
        assertThat(made.get(5, TimeUnit.SECONDS).hasError()).isFalse();
        assertThat(rpc.sentWithoutBlocking()).isEqualTo(sent + 1);

        failure(rpc.call(NO_INBOX, whoami(), RPC_TIMEOUT)); // a send that found no metadata: Kafka is taken for down

        assertThat(rpc.callWithoutBlocking(room, whoami(), RPC_TIMEOUT))
                .as("declined, nothing sent: the caller makes the call from a thread that may wait (and probe)").isNull();
        assertThat(rpc.sentWithoutBlocking()).isEqualTo(sent + 1);
        awaitServing(rpc);
        assertThat(rpc.callWithoutBlocking(room, whoami(), RPC_TIMEOUT)).isNotNull();
    }

    /** After a send found no metadata the frontend takes Kafka for down; the next send probes it and finds it up. */
    private static void awaitServing(KafkaRpc rpc) {
        ServerInfo room = new ServerInfo("room-d", "room", false, "here", Map.of());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(rpc.call(room, whoami(), RPC_TIMEOUT).get(5, TimeUnit.SECONDS).hasError()).isFalse());
    }
}
