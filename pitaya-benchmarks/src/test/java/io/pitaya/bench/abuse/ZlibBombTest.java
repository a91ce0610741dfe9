package io.pitaya.bench.abuse;

import java.util.List;

import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.MessageType;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketDecoder;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.protocol.RouteDictionary;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZlibBombTest {

    private static final int MIB = 1 << 20;

    @Test
    void aBombIsAboutAKilobyteOnTheWireAndInflatesToExactlyTheAnnouncedValidJson() throws Exception {
        byte[] packet = ZlibBomb.notifyPacket("room.message", "bomb", MIB);

        assertThat(packet.length).as("on the wire").isBetween(100, 2048);
        List<Packet> packets = new PacketDecoder(Packet.MAX_BODY_LENGTH).decode(packet);
        assertThat(packets).hasSize(1);
        assertThat(packets.get(0).type()).isEqualTo(PacketType.DATA);
        assertThat(packets.get(0).body()[0] & 0x10).as("zlib flag").isEqualTo(0x10);

        Message message = new MessageCodec(RouteDictionary.empty(), false, 2 * MIB).decode(packets.get(0).body());
        assertThat(message.type()).isEqualTo(MessageType.NOTIFY);
        assertThat(message.route()).isEqualTo("room.message");
        assertThat(message.data()).hasSize(MIB);
        JsonNode json = JsonMapper.builder().build().readTree(message.data());
        assertThat(json.path("name").asString()).isEqualTo("bomb");
        assertThat(json.path("content").asString()).hasSize(MIB - "{\"name\":\"bomb\",\"content\":\"\"}".length()).matches("a+");
    }

    @Test
    void aServerLimitOneByteBelowTheBombRefusesIt() {
        byte[] message = ZlibBomb.notifyMessage("room.message", ZlibBomb.deflate(ZlibBomb.chatMessage("bomb", MIB)));

        assertThatThrownBy(() -> new MessageCodec(RouteDictionary.empty(), false, MIB - 1).decode(message))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("inflates beyond");
    }

    @Test
    void theChatMessageHasExactlyTheSizeAskedFor() {
        assertThat(ZlibBomb.chatMessage("x", 100)).hasSize(100);
        assertThat(new String(ZlibBomb.chatMessage("x", 26))).isEqualTo("{\"name\":\"x\",\"content\":\"a\"}");
        assertThatThrownBy(() -> ZlibBomb.chatMessage("x", 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
