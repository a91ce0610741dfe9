package io.pitaya.protocol;

import static io.pitaya.protocol.Bytes.hex;
import static io.pitaya.protocol.Bytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;

class ZlibTest {

    @Test
    void deflateProducesRfc1950ThatAStockInflaterReads() throws Exception {
        byte[] data = utf8("{\"code\":200,\"sys\":{\"heartbeat\":30}}".repeat(10));
        byte[] deflated = Zlib.deflate(data);
        assertThat(deflated[0] & 0xFF).isEqualTo(0x78);
        assertThat(Zlib.looksLikeZlib(deflated)).isTrue();
        Inflater inflater = new Inflater(); // not nowrap: a zlib header and an adler32 trailer are required
        inflater.setInput(deflated);
        byte[] out = new byte[data.length + 10];
        int n = inflater.inflate(out);
        assertThat(inflater.finished()).isTrue();
        inflater.end();
        assertThat(Arrays.copyOf(out, n)).isEqualTo(data);
    }

    @Test
    void inflatesAStoredBlockBuiltByHand() throws ProtocolException {
        assertThat(Zlib.inflate(hex("78 01 01 05 00 fa ff 68 65 6c 6c 6f 06 2c 02 15"), 5)).isEqualTo(utf8("hello"));
        assertThatThrownBy(() -> Zlib.inflate(hex("78 01 01 05 00 fa ff 68 65 6c 6c 6f 06 2c 02 15"), 4))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void emptyPayloadIsAValidStream() throws ProtocolException {
        // zlib's (and Go's compress/zlib) stream for an empty payload
        assertThat(Zlib.inflate(hex("78 9c 03 00 00 00 00 01"), 0)).isEmpty();
        assertThat(Zlib.inflate(Zlib.deflate(new byte[0]), 0)).isEmpty();
    }

    @Test
    void sizesAroundTheInflateBufferRoundTrip() throws ProtocolException {
        for (int size : new int[] {1, 8191, 8192, 8193, 16384, 65536, 65537}) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) (i * 31 + i / 7);
            }
            assertThat(Zlib.inflate(Zlib.deflate(data), size)).as("size %d", size).isEqualTo(data);
            byte[] zeros = new byte[size];
            assertThat(Zlib.inflate(Zlib.deflate(zeros), size)).as("zeros %d", size).isEqualTo(zeros);
        }
    }

    @Test
    void refusesGarbageTruncationAndBombs() {
        assertThatThrownBy(() -> Zlib.inflate(new byte[0], 100)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Zlib.inflate(utf8("{\"code\":200}"), 100)).isInstanceOf(ProtocolException.class);
        byte[] deflated = Zlib.deflate(utf8("hello world, hello world"));
        for (int cut = 0; cut < deflated.length; cut++) {
            byte[] truncated = Arrays.copyOf(deflated, cut);
            assertThatThrownBy(() -> Zlib.inflate(truncated, 1000)).as("cut at %d", cut).isInstanceOf(ProtocolException.class);
        }
        byte[] bomb = Zlib.deflate(new byte[8 << 20]);
        assertThatThrownBy(() -> Zlib.inflate(bomb, 1 << 20)).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void sniffsTheZlibHeader() {
        assertThat(Zlib.looksLikeZlib(hex("78 9c"))).isTrue();
        assertThat(Zlib.looksLikeZlib(hex("78 01"))).isTrue();
        assertThat(Zlib.looksLikeZlib(hex("78 da"))).isTrue();
        assertThat(Zlib.looksLikeZlib(hex("78 5e"))).isTrue();
        assertThat(Zlib.looksLikeZlib(hex("78 00"))).isFalse(); // bad check bits
        assertThat(Zlib.looksLikeZlib(hex("78"))).isFalse();
        assertThat(Zlib.looksLikeZlib(new byte[0])).isFalse();
        assertThat(Zlib.looksLikeZlib(utf8("{\"code\":200}"))).isFalse();
        assertThat(Zlib.looksLikeZlib(hex("1f 8b 08 00"))).isFalse(); // gzip is not zlib
    }
}
