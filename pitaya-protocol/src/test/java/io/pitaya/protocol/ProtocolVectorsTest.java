package io.pitaya.protocol;

import static io.pitaya.protocol.Bytes.concat;
import static io.pitaya.protocol.Bytes.hex;
import static io.pitaya.protocol.Bytes.toHex;
import static io.pitaya.protocol.Bytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every byte vector of PROTOCOL.md, in both directions. These bytes are what pitaya clients send and expect. */
class ProtocolVectorsTest {

    private static final byte[] EMPTY = new byte[0];
    private static final MessageCodec PLAIN = new MessageCodec();
    private static final MessageCodec CODES = new MessageCodec(RouteDictionary.of(Map.of("a", 1)), false, Packet.MAX_BODY_LENGTH);

    static Stream<Arguments> messageTable() {
        return Stream.of(
                arguments("Request id 0, route \"a\", empty body", PLAIN, Message.request(0, "a", EMPTY), "00 00 01 61"),
                arguments("Request id 0, route \"a\" as code 1", CODES, Message.request(0, "a", EMPTY), "01 00 00 01"),
                arguments("Notify \"a\"", PLAIN, Message.notify("a", EMPTY), "02 01 61"),
                arguments("Notify code 1", CODES, Message.notify("a", EMPTY), "03 00 01"),
                arguments("Push \"a\"", PLAIN, Message.push("a", EMPTY), "06 01 61"),
                arguments("Push code 1", CODES, Message.push("a", EMPTY), "07 00 01"),
                arguments("Response id 0, empty body", PLAIN, Message.response(0, EMPTY), "04 00"),
                arguments("Response id 0, body 0x01", PLAIN, Message.response(0, new byte[] {1}), "04 00 01"),
                arguments("Response id 129", PLAIN, Message.response(129, EMPTY), "04 81 01"),
                arguments("Response, error flag, body 0x01", PLAIN, Message.errorResponse(0, new byte[] {1}), "24 00 01"),
                // a dictionary never changes a Response: it has no route
                arguments("Response id 129 with a dictionary", CODES, Message.response(129, EMPTY), "04 81 01"),
                arguments("Response, error flag, with a dictionary", CODES, Message.errorResponse(0, new byte[] {1}), "24 00 01"));
    }

    @ParameterizedTest(name = "encode {0}")
    @MethodSource("messageTable")
    void encodesTheMessageTable(String name, MessageCodec codec, Message message, String bytes) {
        assertThat(toHex(codec.encode(message))).isEqualTo(toHex(hex(bytes)));
    }

    @ParameterizedTest(name = "decode {0}")
    @MethodSource("messageTable")
    void decodesTheMessageTable(String name, MessageCodec codec, Message message, String bytes) throws ProtocolException {
        Message decoded = codec.decode(hex(bytes));
        assertThat(decoded).isEqualTo(message);
        assertThat(decoded.type()).isEqualTo(message.type());
        assertThat(decoded.id()).isEqualTo(message.id());
        assertThat(decoded.route()).isEqualTo(message.route());
        assertThat(decoded.data()).isEqualTo(message.data());
        assertThat(decoded.error()).isEqualTo(message.error());
    }

    @Test
    void routeCodesAreBigEndian() throws ProtocolException {
        MessageCodec codec = new MessageCodec(RouteDictionary.of(Map.of("room.join", 0x1234, "max", 0xFFFF)), false, 1024);
        assertThat(codec.encode(Message.notify("room.join", EMPTY))).isEqualTo(hex("03 12 34"));
        assertThat(codec.encode(Message.request(5, "max", new byte[] {9}))).isEqualTo(hex("01 05 ff ff 09"));
        assertThat(codec.decode(hex("03 12 34"))).isEqualTo(Message.notify("room.join", EMPTY));
        assertThat(codec.decode(hex("07 ff ff 0a 0b"))).isEqualTo(Message.push("max", new byte[] {10, 11}));
    }

    @Test
    void idsAreLittleEndianBase128Varints() throws ProtocolException {
        assertVarint(0, "00");
        assertVarint(1, "01");
        assertVarint(127, "7f");
        assertVarint(128, "80 01");
        assertVarint(300, "ac 02");
        assertVarint(16384, "80 80 01");
        assertVarint(Integer.MAX_VALUE, "ff ff ff ff 07");
        assertVarint(1L << 32, "80 80 80 80 10");
        assertVarint(Long.MAX_VALUE, "ff ff ff ff ff ff ff ff 7f");
        // the unsigned 64-bit range: 2^63 and 2^64-1 travel as 10 bytes
        assertVarint(Long.MIN_VALUE, "80 80 80 80 80 80 80 80 80 01");
        assertVarint(-1L, "ff ff ff ff ff ff ff ff ff 01");
    }

    private static void assertVarint(long id, String varint) throws ProtocolException {
        byte[] request = concat(hex("00"), hex(varint), hex("01 61"));
        assertThat(toHex(PLAIN.encode(Message.request(id, "a", EMPTY)))).as("request id %s", Long.toUnsignedString(id))
                .isEqualTo(toHex(request));
        assertThat(PLAIN.decode(request).id()).isEqualTo(id);
        byte[] response = concat(hex("04"), hex(varint), hex("ee"));
        assertThat(toHex(PLAIN.encode(Message.response(id, new byte[] {(byte) 0xee})))).isEqualTo(toHex(response));
        assertThat(PLAIN.decode(response)).isEqualTo(Message.response(id, new byte[] {(byte) 0xee}));
    }

    @Test
    void zlibFlagIsBit4AndBodyIsRfc1950() throws ProtocolException {
        // A hand-built zlib stream (one stored block) of "hello": any RFC 1950 encoder may produce it.
        byte[] storedZlib = hex("78 01 | 01 05 00 fa ff | 68 65 6c 6c 6f | 06 2c 02 15");
        assertThat(PLAIN.decode(concat(hex("12 01 61"), storedZlib))).isEqualTo(Message.notify("a", utf8("hello")));
        // zlib's own output for "hello" (the well-known 78 9c stream)
        byte[] deflated = hex("78 9c cb 48 cd c9 c9 07 00 06 2c 02 15");
        assertThat(PLAIN.decode(concat(hex("14 07"), deflated))).isEqualTo(Message.response(7, utf8("hello")));
        // a zlib stream of an empty body is still a valid body
        assertThat(PLAIN.decode(hex("12 01 61 78 9c 03 00 00 00 00 01"))).isEqualTo(Message.notify("a", EMPTY));
        // error + zlib on a Response: 0x20 | 0x10 | 2<<1
        assertThat(PLAIN.decode(concat(hex("34 07"), deflated))).isEqualTo(Message.errorResponse(7, utf8("hello")));
    }

    @Test
    void wholePacketExample() throws ProtocolException {
        byte[] body = utf8("{\"name\":\"a\"}");
        byte[] expected = concat(hex("04 00 00 18 | 00 | 01 | 09"), utf8("room.join"), body);
        assertThat(expected).hasSize(4 + 0x18);

        Message request = Message.request(1, "room.join", body);
        byte[] messageBytes = PLAIN.encode(request);
        assertThat(toHex(Packet.encode(PacketType.DATA, messageBytes))).isEqualTo(toHex(expected));
        assertThat(toHex(new Packet(PacketType.DATA, messageBytes).encode())).isEqualTo(toHex(expected));

        List<Packet> packets = new PacketDecoder(1024).decode(expected);
        assertThat(packets).hasSize(1);
        assertThat(packets.get(0).type()).isEqualTo(PacketType.DATA);
        assertThat(packets.get(0).body()).isEqualTo(concat(hex("00 01 09"), utf8("room.join"), body));
        assertThat(PLAIN.decode(packets.get(0).body())).isEqualTo(request);
    }

    @Test
    void kickPacket() throws ProtocolException {
        assertThat(Packet.of(PacketType.KICK).encode()).isEqualTo(hex("05 00 00 00"));
        assertThat(new Packet(PacketType.KICK, null).encode()).isEqualTo(hex("05 00 00 00"));
        assertThat(new PacketDecoder(0).decode(hex("05 00 00 00"))).containsExactly(Packet.of(PacketType.KICK));
    }

    @Test
    void emptyControlPackets() throws ProtocolException {
        assertThat(Packet.of(PacketType.HANDSHAKE_ACK).encode()).isEqualTo(hex("02 00 00 00"));
        assertThat(Packet.of(PacketType.HEARTBEAT).encode()).isEqualTo(hex("03 00 00 00"));
        assertThat(new PacketDecoder(16).decode(hex("02 00 00 00 03 00 00 00")))
                .containsExactly(Packet.of(PacketType.HANDSHAKE_ACK), Packet.of(PacketType.HEARTBEAT));
    }

    @Test
    void packetTypeValues() throws ProtocolException {
        assertThat(PacketType.HANDSHAKE.value()).isEqualTo(0x01);
        assertThat(PacketType.HANDSHAKE_ACK.value()).isEqualTo(0x02);
        assertThat(PacketType.HEARTBEAT.value()).isEqualTo(0x03);
        assertThat(PacketType.DATA.value()).isEqualTo(0x04);
        assertThat(PacketType.KICK.value()).isEqualTo(0x05);
        for (PacketType t : PacketType.values()) {
            assertThat(PacketType.of(t.value())).isSameAs(t);
        }
    }

    @Test
    void messageTypeValues() throws ProtocolException {
        assertThat(MessageType.REQUEST.value()).isZero();
        assertThat(MessageType.NOTIFY.value()).isEqualTo(1);
        assertThat(MessageType.RESPONSE.value()).isEqualTo(2);
        assertThat(MessageType.PUSH.value()).isEqualTo(3);
        for (MessageType t : MessageType.values()) {
            assertThat(MessageType.of(t.value())).isSameAs(t);
        }
    }

    @Test
    void lengthIsThreeBytesBigEndian() throws ProtocolException {
        byte[] body = new byte[0x010203];
        body[0] = 7;
        body[body.length - 1] = 9;
        byte[] wire = Packet.encode(PacketType.HANDSHAKE, body);
        assertThat(wire).startsWith(hex("01 01 02 03"));
        assertThat(wire).hasSize(4 + 0x010203);
        assertThat(Packet.bodyLength((byte) 0x01, (byte) 0x02, (byte) 0x03)).isEqualTo(0x010203);
        assertThat(Packet.bodyLength((byte) 0xff, (byte) 0xff, (byte) 0xff)).isEqualTo(Packet.MAX_BODY_LENGTH);
        assertThat(new PacketDecoder(0x010203).decode(wire)).containsExactly(new Packet(PacketType.HANDSHAKE, body));
    }
}
