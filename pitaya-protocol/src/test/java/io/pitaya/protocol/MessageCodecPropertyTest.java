package io.pitaya.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Round trips and fuzzing of {@link MessageCodec}. */
class MessageCodecPropertyTest {

    /** A message plus the codec settings it is encoded with. */
    record Case(Message message, Map<String, Integer> dictionary, boolean compress) {
        MessageCodec codec() {
            return new MessageCodec(RouteDictionary.of(dictionary), compress, Packet.MAX_BODY_LENGTH);
        }
    }

    @Property(tries = 1500)
    void anyMessageRoundTrips(@ForAll("cases") Case c) throws ProtocolException {
        MessageCodec codec = c.codec();
        byte[] bytes = codec.encode(c.message());
        Message decoded = codec.decode(bytes);
        assertThat(decoded).isEqualTo(c.message());

        int flag = bytes[0] & 0xFF;
        assertThat((flag >> 1) & 0x07).isEqualTo(c.message().type().value());
        assertThat((flag & 0x20) != 0).isEqualTo(c.message().error());
        boolean coded = c.message().type().hasRoute() && c.dictionary().containsKey(c.message().route());
        assertThat((flag & 0x01) != 0).isEqualTo(coded);
        if ((flag & 0x10) != 0) {
            assertThat(c.compress()).as("only a compressing codec sets the zlib bit").isTrue();
            assertThat(bytes.length).as("compressed only when smaller")
                    .isLessThan(reference(c.message(), c.dictionary()).length);
        }

        // the generators must reach the interesting cases, or this property proves little
        byte[] route = c.message().route() == null ? null : c.message().route().getBytes(StandardCharsets.UTF_8);
        Statistics.label("zlib").collect((flag & 0x10) != 0);
        Statistics.label("route code").collect(coded);
        Statistics.label("id >= 2^63").collect(c.message().type().hasId() && c.message().id() < 0);
        Statistics.label("255-byte route").collect(route != null && route.length == 255);
        Statistics.label("multibyte route").collect(route != null && route.length > c.message().route().length());
        Statistics.label("zlib").coverage(cov -> cov.check(true).percentage(p -> p > 5));
        Statistics.label("route code").coverage(cov -> cov.check(true).percentage(p -> p > 5));
        Statistics.label("id >= 2^63").coverage(cov -> cov.check(true).percentage(p -> p > 3));
        Statistics.label("255-byte route").coverage(cov -> cov.check(true).percentage(p -> p > 3));
        Statistics.label("multibyte route").coverage(cov -> cov.check(true).percentage(p -> p > 10));
    }

    /** Without compression the codec's bytes are exactly what the spec says, computed independently. */
    @Property(tries = 1000)
    void encodingMatchesTheSpecification(@ForAll("cases") Case c) throws ProtocolException {
        MessageCodec codec = new MessageCodec(RouteDictionary.of(c.dictionary()), false, Packet.MAX_BODY_LENGTH);
        byte[] expected = reference(c.message(), c.dictionary());
        assertThat(Bytes.toHex(codec.encode(c.message()))).isEqualTo(Bytes.toHex(expected));
        assertThat(codec.decode(expected)).isEqualTo(c.message());
    }

    @Property(tries = 1000)
    void randomBytesDecodeOrFailWithProtocolException(@ForAll @Size(max = 64) byte[] bytes,
                                                      @ForAll @IntRange(min = 0, max = 0x3F) int flag,
                                                      @ForAll boolean overrideFlag) {
        byte[] input = bytes;
        if (overrideFlag && bytes.length > 0) {
            input = bytes.clone();
            input[0] = (byte) flag; // reach every valid type and the zlib path more often
        }
        MessageCodec codec = new MessageCodec(RouteDictionary.of(Map.of("a", 1, "room.join", 258)), false, 4096);
        assertOnlyProtocolException(codec, input);
    }

    @Property(tries = 1000)
    void mutatedValidMessagesDecodeOrFailWithProtocolException(@ForAll("cases") Case c,
                                                               @ForAll("mutations") List<Tuple.Tuple2<Integer, Byte>> mutations,
                                                               @ForAll @IntRange(min = 0, max = 100) int keepPercent) {
        byte[] bytes = c.codec().encode(c.message());
        byte[] mutated = Arrays.copyOf(bytes, bytes.length * keepPercent / 100);
        for (Tuple.Tuple2<Integer, Byte> m : mutations) {
            if (mutated.length > 0) {
                mutated[m.get1() % mutated.length] ^= m.get2();
            }
        }
        MessageCodec codec = new MessageCodec(RouteDictionary.of(c.dictionary()), false, 1 << 16);
        assertOnlyProtocolException(codec, mutated);
    }

    private static void assertOnlyProtocolException(MessageCodec codec, byte[] input) {
        Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catchThrowable(() -> codec.decode(input)));
        if (thrown != null) {
            assertThat(thrown).as("decoding %s", Bytes.toHex(input)).isInstanceOf(ProtocolException.class);
            assertThat(thrown.getMessage()).isNotBlank();
        }
    }

    // ---- an independent encoder, written from PROTOCOL.md ---------------------------------------

    static byte[] reference(Message m, Map<String, Integer> dictionary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int type = switch (m.type()) {
            case REQUEST -> 0;
            case NOTIFY -> 1;
            case RESPONSE -> 2;
            case PUSH -> 3;
        };
        boolean hasId = type == 0 || type == 2;
        boolean hasRoute = type != 2;
        Integer code = hasRoute ? dictionary.get(m.route()) : null;
        out.write(type << 1 | (code != null ? 0x01 : 0) | (m.error() ? 0x20 : 0));
        if (hasId) {
            BigInteger v = new BigInteger(Long.toUnsignedString(m.id()));
            BigInteger mask = BigInteger.valueOf(0x7F);
            do {
                int group = v.and(mask).intValue();
                v = v.shiftRight(7);
                out.write(v.signum() == 0 ? group : group | 0x80);
            } while (v.signum() != 0);
        }
        if (hasRoute) {
            if (code != null) {
                out.write(code / 256);
                out.write(code % 256);
            } else {
                byte[] route = m.route().getBytes(StandardCharsets.UTF_8);
                out.write(route.length);
                out.writeBytes(route);
            }
        }
        out.writeBytes(m.data());
        return out.toByteArray();
    }

    // ---- generators ------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.bytes().filter(b -> b != 0))
                .as(Tuple::of).list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Message> messages = Combinators.combine(
                        Arbitraries.of(MessageType.class), ids(), routes(), bodies(), Arbitraries.of(true, false))
                .as((type, id, route, body, error) -> new Message(type, id, route, body, error));
        Arbitrary<Integer> codes = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(1, 0xFFFF)),
                Tuple.of(1, Arbitraries.of(1, 255, 256, 0xFF00, 0xFFFF)));
        // 0: no dictionary, 1: the route has a code, 2: a dictionary without the route
        Arbitrary<Integer> dictionaryMode = Arbitraries.of(0, 1, 2);
        return Combinators.combine(messages, dictionaryMode, codes, Arbitraries.of(true, false))
                .as((message, mode, code, compress) -> {
                    Map<String, Integer> dict = new HashMap<>();
                    if (mode >= 1) {
                        dict.put("other.handler.x", code % 0xFFFF + 1);
                        if (mode == 1 && message.route() != null) {
                            dict.put(message.route(), code);
                        }
                    }
                    return new Case(message, dict, compress);
                });
    }

    /** Ids over the whole unsigned 64-bit range, with the varint group boundaries. */
    static Arbitrary<Long> ids() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs()),
                Tuple.of(2, Arbitraries.longs().between(0, 1L << 21)),
                Tuple.of(2, Arbitraries.integers().between(0, 64).flatMap(bits -> Arbitraries.of(-1L, 0L, 1L)
                        .map(delta -> (bits == 64 ? 0L : 1L << bits) + delta))),
                Tuple.of(1, Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL)));
    }

    /** Valid UTF-8 routes of 0..255 bytes, including exactly 255. */
    static Arbitrary<String> routes() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.integers().between(0x00, 0x7F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(2, Arbitraries.integers().between(0x800, 0xFFFF)
                        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)));
        Arbitrary<String> free = codePoints.list().ofMaxSize(260).map(MessageCodecPropertyTest::upTo255Bytes);
        Arbitrary<String> dotted = Arbitraries.of("room.join", "chat.room.send", "a", "connector.entry.login", "");
        Arbitrary<String> exactly255 = Arbitraries.strings().withCharRange('a', 'z').ofLength(254)
                .flatMap(s -> Arbitraries.of(s + "x", s.substring(1) + "é", s.substring(2) + "路"));
        return Arbitraries.frequencyOf(Tuple.of(6, free), Tuple.of(2, dotted), Tuple.of(1, exactly255));
    }

    private static String upTo255Bytes(List<Integer> codePoints) {
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        for (int cp : codePoints) {
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > MessageCodec.MAX_ROUTE_LENGTH) {
                break;
            }
            sb.appendCodePoint(cp);
            bytes += n;
        }
        return sb.toString();
    }

    /**
     * Random bodies, some of them compressible so that the zlib path is taken: those are at least as long
     * as the codec's compression threshold (shorter ones are sent plain by design, see MessageCodecTest).
     */
    static Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<byte[]> compressible = Combinators.combine(
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8),
                        Arbitraries.integers().between(1, 400))
                .as((pattern, repeat) -> {
                    int length = Math.max(pattern.length * repeat, MessageCodec.MIN_COMPRESSIBLE_LENGTH);
                    byte[] out = new byte[length];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = pattern[i % pattern.length];
                    }
                    return out;
                });
        Arbitrary<byte[]> json = Arbitraries.strings().alpha().ofMaxLength(40)
                .map(s -> ("{\"name\":\"" + s + "\",\"items\":[1,2,3,1,2,3,1,2,3]}").getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(Tuple.of(3, random), Tuple.of(2, compressible), Tuple.of(1, json),
                Tuple.of(1, Arbitraries.just(new byte[0])));
    }
}
