package io.pitaya.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/** Stream decoding: any split of any packet sequence, and garbage. */
class PacketDecoderPropertyTest {

    private static final int LIMIT = 2048;

    @Property(tries = 1000)
    void anyPacketSequenceSplitAnyWayComesOutIdenticalAndInOrder(@ForAll("packetSequences") List<Packet> packets,
                                                                 @ForAll("cuts") List<Integer> cuts,
                                                                 @ForAll @IntRange(min = 0, max = 7) int slack)
            throws ProtocolException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (Packet p : packets) {
            wire.writeBytes(p.encode());
        }
        byte[] stream = wire.toByteArray();
        // the stream sits inside a bigger buffer, so offsets are exercised too
        byte[] buffer = new byte[slack + stream.length + slack];
        java.util.Arrays.fill(buffer, (byte) 0xFF);
        System.arraycopy(stream, 0, buffer, slack, stream.length);

        PacketDecoder decoder = new PacketDecoder(LIMIT);
        List<Packet> out = new ArrayList<>();
        int pos = 0;
        int chunks = 0;
        for (int cut : cuts) {
            if (pos >= stream.length) {
                break;
            }
            int n = Math.min(cut, stream.length - pos);
            out.addAll(decoder.decode(buffer, slack + pos, n));
            pos += n;
            chunks++;
        }
        if (pos < stream.length) {
            out.addAll(decoder.decode(buffer, slack + pos, stream.length - pos));
            chunks++;
        }
        assertThat(out).containsExactlyElementsOf(packets);
        assertThat(decoder.hasPartialPacket()).isFalse();
        Statistics.label("chunks").collect(chunks > packets.size() ? "more chunks than packets" : "fewer or equal");
    }

    @Property(tries = 1000)
    void randomBytesInRandomChunksDecodeOrFailWithProtocolException(@ForAll @Size(max = 300) byte[] bytes,
                                                                    @ForAll("cuts") List<Integer> cuts,
                                                                    @ForAll("limits") int limit,
                                                                    @ForAll boolean validTypes) {
        byte[] input = bytes.clone();
        if (validTypes && input.length > 0) {
            input[0] = (byte) (1 + (input[0] & 0xFF) % 5); // get past the type check more often
        }
        PacketDecoder decoder = new PacketDecoder(limit);
        Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catchThrowable(() -> {
            int pos = 0;
            for (int cut : cuts) {
                int n = Math.min(cut, input.length - pos);
                for (Packet p : decoder.decode(input, pos, n)) {
                    assertThat(p.body().length).isLessThanOrEqualTo(limit);
                }
                pos += n;
            }
            decoder.decode(input, pos, input.length - pos);
        }));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(ProtocolException.class);
            // and the decoder refuses everything afterwards
            assertThat(catchThrowable(() -> decoder.decode(new byte[] {3, 0, 0, 0}))).isInstanceOf(ProtocolException.class);
        }
    }

    @Property(tries = 300)
    void oversizedHeaderFailsBeforeAnyBodyByte(@ForAll @IntRange(min = 0, max = 1000) int limit,
                                               @ForAll @IntRange(min = 1, max = 0xFFFFFF) int excess,
                                               @ForAll @IntRange(min = 1, max = 5) int type) {
        int announced = (int) Math.min((long) limit + excess, Packet.MAX_BODY_LENGTH);
        byte[] header = {(byte) type, (byte) (announced >>> 16), (byte) (announced >>> 8), (byte) announced};
        PacketDecoder decoder = new PacketDecoder(limit);
        Throwable thrown = catchThrowable(() -> {
            assertThat(decoder.decode(header, 0, 3)).isEmpty();
            decoder.decode(header, 3, 1);
        });
        assertThat(thrown).isInstanceOf(ProtocolException.class);
    }

    @Provide
    Arbitrary<List<Packet>> packetSequences() {
        Arbitrary<byte[]> bodies = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(new byte[0])),
                Tuple.of(4, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(LIMIT - 2).ofMaxSize(LIMIT)));
        return Combinators.combine(Arbitraries.of(PacketType.class), bodies).as(Packet::new).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.integers().between(0, 8)),
                        Tuple.of(2, Arbitraries.integers().between(0, 400)),
                        Tuple.of(1, Arbitraries.integers().between(0, 5000)))
                .list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.of(0, 1, 16, 255, 1024, 65_536);
    }
}
