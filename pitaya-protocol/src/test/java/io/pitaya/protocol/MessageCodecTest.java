package io.pitaya.protocol;

import static io.pitaya.protocol.Bytes.concat;
import static io.pitaya.protocol.Bytes.hex;
import static io.pitaya.protocol.Bytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {

    private static final byte[] EMPTY = new byte[0];
    private static final MessageCodec PLAIN = new MessageCodec();
    private static final MessageCodec CODES = new MessageCodec(RouteDictionary.of(Map.of("a", 1)), false, 1 << 20);

    // ---- malformed input -------------------------------------------------------------------------

    @Test
    void emptyMessage() {
        assertThatThrownBy(() -> PLAIN.decode(EMPTY)).isInstanceOf(ProtocolException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x08, 0x09, 0x0a, 0x0c, 0x0e, 0x0f, 0x18, 0x2e})
    void unknownMessageType(int flag) {
        // type bits 4..7 are no message type
        assertThatThrownBy(() -> PLAIN.decode(new byte[] {(byte) flag, 0, 1, 0x61}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("message type");
    }

    @Test
    void unknownRouteCode() {
        assertThatThrownBy(() -> CODES.decode(hex("03 00 02"))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("route code 2");
        assertThatThrownBy(() -> CODES.decode(hex("03 00 00"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> CODES.decode(hex("03 01 01"))).isInstanceOf(ProtocolException.class);
        // without a dictionary, every code is unknown
        assertThatThrownBy(() -> PLAIN.decode(hex("01 00 00 01"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void truncatedRouteCode() {
        assertThatThrownBy(() -> CODES.decode(hex("03 00"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> CODES.decode(hex("03"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> CODES.decode(hex("01 00 00"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void truncatedVarint() {
        assertThatThrownBy(() -> PLAIN.decode(hex("00"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> PLAIN.decode(hex("00 80"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> PLAIN.decode(hex("04"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> PLAIN.decode(hex("04 81"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> PLAIN.decode(hex("04 ff ff ff ff ff ff ff ff ff"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void overlongVarint() {
        // more than 10 groups cannot be a 64-bit id
        assertThatThrownBy(() -> PLAIN.decode(hex("04 80 80 80 80 80 80 80 80 80 80 01")))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void truncatedRoute() {
        assertThatThrownBy(() -> PLAIN.decode(hex("02"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> PLAIN.decode(hex("00 01"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> PLAIN.decode(hex("02 02 61"))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> PLAIN.decode(concat(hex("06 ff"), new byte[254]))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void invalidZlib() {
        assertThatThrownBy(() -> PLAIN.decode(hex("12 01 61 01 02 03 04"))).isInstanceOf(ProtocolException.class);
        // zlib-flagged but no body at all
        assertThatThrownBy(() -> PLAIN.decode(hex("12 01 61"))).isInstanceOf(ProtocolException.class);
        // a valid zlib stream cut short
        byte[] deflated = Zlib.deflate(utf8("hello hello hello hello"));
        byte[] cut = Arrays.copyOf(deflated, deflated.length - 3);
        assertThatThrownBy(() -> PLAIN.decode(concat(hex("12 01 61"), cut))).isInstanceOf(ProtocolException.class);
        // a corrupted checksum
        byte[] corrupt = deflated.clone();
        corrupt[corrupt.length - 1] ^= 0x01;
        assertThatThrownBy(() -> PLAIN.decode(concat(hex("12 01 61"), corrupt))).isInstanceOf(ProtocolException.class);
        // a stream that asks for a preset dictionary (FDICT) cannot be inflated
        assertThatThrownBy(() -> PLAIN.decode(hex("12 01 61 78 bb 00 00 00 01 4b 04 00 00 00 00 00 00")))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void zipBombAboveTheInflateLimitIsRefused() throws ProtocolException {
        int limit = 1 << 20;
        MessageCodec codec = new MessageCodec(RouteDictionary.empty(), false, limit);
        byte[] bomb = Zlib.deflate(new byte[16 << 20]);
        assertThat(bomb.length).isLessThan(20_000);
        assertThatThrownBy(() -> codec.decode(concat(hex("12 01 61"), bomb)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("inflates beyond");

        // the limit itself is inclusive
        byte[] atLimit = Zlib.deflate(new byte[limit]);
        assertThat(codec.decode(concat(hex("12 01 61"), atLimit)).data()).hasSize(limit);
        byte[] justAbove = Zlib.deflate(new byte[limit + 1]);
        assertThatThrownBy(() -> codec.decode(concat(hex("12 01 61"), justAbove))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void ignoredFlagBitsAreIgnoredAsPitayaDoes() throws ProtocolException {
        // bits 6-7 and the route-code bit of a Response do not matter
        assertThat(PLAIN.decode(hex("c4 00 01"))).isEqualTo(Message.response(0, new byte[] {1}));
        assertThat(PLAIN.decode(hex("05 81 01"))).isEqualTo(Message.response(129, EMPTY));
        assertThat(PLAIN.decode(hex("42 01 61"))).isEqualTo(Message.notify("a", EMPTY));
    }

    // ---- routes ----------------------------------------------------------------------------------

    @Test
    void routeOf255BytesWorks() throws ProtocolException {
        String route = "r".repeat(255);
        for (Message m : new Message[] {Message.request(1, route, EMPTY), Message.notify(route, EMPTY), Message.push(route, EMPTY)}) {
            byte[] bytes = PLAIN.encode(m);
            assertThat(bytes[m.type().hasId() ? 2 : 1] & 0xFF).isEqualTo(255);
            assertThat(bytes).hasSize(1 + (m.type().hasId() ? 1 : 0) + 1 + 255);
            assertThat(PLAIN.decode(bytes)).isEqualTo(m);
        }
        // 255 bytes of multibyte UTF-8: 85 three-byte characters
        String cjk = "路".repeat(85);
        assertThat(utf8(cjk)).hasSize(255);
        assertThat(PLAIN.decode(PLAIN.encode(Message.notify(cjk, EMPTY))).route()).isEqualTo(cjk);
    }

    @Test
    void routeOver255BytesIsRefusedNotTruncated() {
        String route = "r".repeat(256);
        assertThatThrownBy(() -> PLAIN.encode(Message.request(1, route, EMPTY))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PLAIN.encode(Message.notify(route, EMPTY))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PLAIN.encode(Message.push(route, EMPTY))).isInstanceOf(IllegalArgumentException.class);
        // it is the UTF-8 length that counts: 86 three-byte characters are 258 bytes
        assertThatThrownBy(() -> PLAIN.encode(Message.push("路".repeat(86), EMPTY))).isInstanceOf(IllegalArgumentException.class);
        // 254 ASCII + one 2-byte character = 256 bytes
        assertThatThrownBy(() -> PLAIN.encode(Message.push("r".repeat(254) + "é", EMPTY))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longRouteWithACodeIsFine() throws ProtocolException {
        String route = "r".repeat(1000);
        MessageCodec codec = new MessageCodec(RouteDictionary.of(Map.of(route, 7)), false, 1024);
        byte[] bytes = codec.encode(Message.notify(route, EMPTY));
        assertThat(bytes).isEqualTo(hex("03 00 07"));
        assertThat(codec.decode(bytes).route()).isEqualTo(route);
    }

    @Test
    void emptyRouteIsEncodedAsZeroLength() throws ProtocolException {
        assertThat(PLAIN.encode(Message.notify("", hex("aa")))).isEqualTo(hex("02 00 aa"));
        assertThat(PLAIN.decode(hex("02 00 aa"))).isEqualTo(Message.notify("", hex("aa")));
    }

    @Test
    void routesNotInTheDictionaryTravelAsText() throws ProtocolException {
        assertThat(CODES.encode(Message.notify("b", EMPTY))).isEqualTo(hex("02 01 62"));
        assertThat(CODES.decode(hex("02 01 62"))).isEqualTo(Message.notify("b", EMPTY));
        // a text route is accepted even when it has a code
        assertThat(CODES.decode(hex("02 01 61"))).isEqualTo(Message.notify("a", EMPTY));
    }

    // ---- compression -----------------------------------------------------------------------------

    @Test
    void compressesOnlyWhenSmaller() throws ProtocolException {
        MessageCodec codec = new MessageCodec(RouteDictionary.empty(), true, 1 << 20);
        byte[] compressible = utf8("{\"text\":\"" + "spam ".repeat(100) + "\"}");
        byte[] bytes = codec.encode(Message.push("a", compressible));
        assertThat(bytes[0] & 0xFF).isEqualTo(0x16);
        assertThat(bytes.length).isLessThan(3 + compressible.length);
        assertThat(Zlib.looksLikeZlib(Arrays.copyOfRange(bytes, 3, bytes.length))).isTrue();
        assertThat(Zlib.inflate(Arrays.copyOfRange(bytes, 3, bytes.length), 1 << 20)).isEqualTo(compressible);
        assertThat(codec.decode(bytes)).isEqualTo(Message.push("a", compressible));
        // a plain codec reads it too: the flag decides, not the codec's settings
        assertThat(PLAIN.decode(bytes)).isEqualTo(Message.push("a", compressible));

        // tiny or incompressible bodies stay plain
        assertThat(codec.encode(Message.push("a", hex("01")))).isEqualTo(hex("06 01 61 01"));
        assertThat(codec.encode(Message.response(3, EMPTY))).isEqualTo(hex("04 03"));

        // error responses keep the error flag when compressed
        byte[] err = codec.encode(Message.errorResponse(2, compressible));
        assertThat(err[0] & 0xFF).isEqualTo(0x34);
        assertThat(codec.decode(err)).isEqualTo(Message.errorResponse(2, compressible));
    }

    @Test
    void plainCodecNeverCompresses() {
        byte[] compressible = new byte[1000];
        assertThat(PLAIN.encode(Message.response(1, compressible))).hasSize(2 + 1000);
    }

    // ---- message model ---------------------------------------------------------------------------

    @Test
    void messageModel() {
        assertThatThrownBy(() -> Message.request(1, null, EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Message.notify(null, EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Message(null, 0, "a", EMPTY, false)).isInstanceOf(IllegalArgumentException.class);
        Message response = new Message(MessageType.RESPONSE, 5, "ignored", null, false);
        assertThat(response.route()).isNull();
        assertThat(response.data()).isEmpty();
        assertThat(Message.notify("a", EMPTY).id()).isZero();
        assertThat(new Message(MessageType.PUSH, 9, "a", EMPTY, false).id()).isZero();
        assertThat(Message.request(1, "a", hex("01"))).isEqualTo(Message.request(1, "a", hex("01")))
                .hasSameHashCodeAs(Message.request(1, "a", hex("01")))
                .isNotEqualTo(Message.request(2, "a", hex("01")))
                .isNotEqualTo(Message.request(1, "b", hex("01")))
                .isNotEqualTo(Message.request(1, "a", hex("02")))
                .isNotEqualTo(Message.notify("a", hex("01")));
        assertThat(Message.response(1, EMPTY)).isNotEqualTo(Message.errorResponse(1, EMPTY));
    }

    @Test
    void compressionIsTriedOnlyOnBodiesOf128BytesOrMore() throws Exception {
        MessageCodec codec = new MessageCodec(RouteDictionary.empty(), true, 1 << 20);
        byte[] small = "a".repeat(MessageCodec.MIN_COMPRESSIBLE_LENGTH - 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] large = "a".repeat(MessageCodec.MIN_COMPRESSIBLE_LENGTH).getBytes(java.nio.charset.StandardCharsets.UTF_8);

        byte[] smallEncoded = codec.encode(Message.push("p", small));
        byte[] largeEncoded = codec.encode(Message.push("p", large));

        org.assertj.core.api.Assertions.assertThat(smallEncoded[0] & 0x10).as("short body sent plain").isZero();
        org.assertj.core.api.Assertions.assertThat(largeEncoded[0] & 0x10).as("long compressible body deflated").isEqualTo(0x10);
        org.assertj.core.api.Assertions.assertThat(codec.decode(largeEncoded).data()).containsExactly(large);
    }
}
