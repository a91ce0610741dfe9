package io.pitaya.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import com.google.protobuf.ByteString;
import io.pitaya.protocol.proto.PitayaProto.Msg;
import io.pitaya.protocol.proto.PitayaProto.MsgType;
import io.pitaya.protocol.proto.PitayaProto.RPCType;
import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.protocol.proto.PitayaProto.Session;

/** Message bodies shaped like a game's: JSON with ids, positions and some text; a forwarded Request. */
final class TypicalMessages {

    /** A chat line, the typical small client payload. */
    record ChatMessage(String uid, String room, String text, long timestamp, List<String> tags) {
    }

    private static final String[] WORDS = {"attack", "the", "dragon", "north", "gate", "now", "heal", "me", "gg", "wp",
        "team", "push", "mid", "wait", "for", "boss", "loot", "gold", "42", "ready"};

    private TypicalMessages() {
    }

    /**
     * @param size the size wanted
     * @return a JSON object of exactly {@code size} bytes with varied content (so zlib has real work)
     */
    static byte[] jsonBody(int size) {
        Random random = new Random(size);
        StringBuilder text = new StringBuilder();
        String head = "{\"uid\":\"player-" + (1000 + random.nextInt(9000)) + "\",\"pos\":{\"x\":" + random.nextInt(500)
                + ".25,\"y\":" + random.nextInt(500) + ".5},\"text\":\"";
        String tail = "\"}";
        while (head.length() + text.length() + tail.length() < size) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        String json = head + text + tail;
        int excess = json.length() - size;
        if (excess > 0) {
            json = head + text.substring(0, text.length() - excess) + tail;
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static ChatMessage chatMessage() {
        return new ChatMessage("player-4711", "lobby-7", "attack the dragon at the north gate now", 1_722_000_000_000L,
                List.of("team", "urgent"));
    }

    /** @return a Request as a frontend forwards it to a backend (PROTOCOL.md, server-to-server) */
    static Request forwardedRequest() {
        return Request.newBuilder()
                .setType(RPCType.User)
                .setSession(Session.newBuilder().setId(123_456).setUid("player-4711")
                        .setData(ByteString.copyFromUtf8("{\"level\":12,\"guild\":\"red\"}")))
                .setMsg(Msg.newBuilder().setId(991).setRoute("room.room.message").setType(MsgType.MsgRequest)
                        .setData(ByteString.copyFrom(jsonBody(64))))
                .setFrontendID("connector-7f3c2a")
                .setMetadata(ByteString.copyFromUtf8("{\"req-route\":\"room.room.message\"}"))
                .build();
    }
}
