package io.pitaya.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.pitaya.protocol.Message;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** TCP streams carry partial and coalesced packets; WebSocket frames may carry several packets or part of one. */
class FramingTest extends ScriptedServerTest {

    @ParameterizedTest
    @EnumSource(ScriptedServer.Transport.class)
    void aHandshakeAnswerSplitIntoPiecesIsReassembled(ScriptedServer.Transport transport) throws Exception {
        start(transport);
        PitayaClient client = track(server.client().build());

        var connecting = client.connect();
        ScriptedServer.Connection connection = server.accept();
        connection.take();
        byte[] answer = new Packet(PacketType.HANDSHAKE, ScriptedServer.HANDSHAKE_CODEC.encodeResponse(ACCEPTED, false)).encode();
        // One byte of the header, the rest of the header and part of the body, then the remainder.
        connection.send(Arrays.copyOfRange(answer, 0, 1));
        Thread.sleep(20);
        connection.send(Arrays.copyOfRange(answer, 1, 10));
        Thread.sleep(20);
        connection.send(Arrays.copyOfRange(answer, 10, answer.length));

        assertThat(connecting.get(5, TimeUnit.SECONDS).dict()).isEqualTo(DICT);
    }

    @ParameterizedTest
    @EnumSource(ScriptedServer.Transport.class)
    void severalPacketsInOneWriteAreAllHandled(ScriptedServer.Transport transport) throws Exception {
        start(transport);
        PitayaClient client = track(server.client().build());
        CompletableFuture<byte[]> pushed = new CompletableFuture<>();
        client.onPush("room.room.onMessage", pushed::complete);
        ScriptedServer.Connection connection = server.connect(client, ACCEPTED);
        CompletableFuture<byte[]> first = client.request("room.room.join", new byte[0]);
        CompletableFuture<byte[]> second = client.request("room.room.join", new byte[0]);
        connection.take();
        connection.take();

        ByteArrayOutputStream coalesced = new ByteArrayOutputStream();
        coalesced.write(data(Message.response(1, bytes("one"))));
        coalesced.write(Packet.of(PacketType.HEARTBEAT).encode());
        coalesced.write(data(Message.push("room.room.onMessage", bytes("push"))));
        byte[] last = data(Message.response(2, bytes("two")));
        coalesced.write(last, 0, 3);
        connection.send(coalesced.toByteArray());
        Thread.sleep(20);
        connection.send(Arrays.copyOfRange(last, 3, last.length));

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(bytes("one"));
        assertThat(pushed.get(5, TimeUnit.SECONDS)).isEqualTo(bytes("push"));
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(bytes("two"));
    }

    private static byte[] data(Message message) {
        return new Packet(PacketType.DATA, SERVER_CODEC.encode(message)).encode();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
