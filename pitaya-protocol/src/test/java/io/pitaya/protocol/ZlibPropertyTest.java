package io.pitaya.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ZlibPropertyTest {

    @Property(tries = 200)
    void roundTrips(@ForAll @Size(max = 5000) byte[] data) throws ProtocolException {
        assertThat(Zlib.inflate(Zlib.deflate(data), data.length)).isEqualTo(data);
    }

    @Property(tries = 300)
    void damagedStreamsInflateOrFailWithProtocolException(@ForAll @Size(max = 2000) byte[] data,
                                                         @ForAll @IntRange(min = 0, max = 10_000) int position,
                                                         @ForAll byte xor,
                                                         @ForAll @IntRange(min = 0, max = 100) int keepPercent) {
        byte[] deflated = Zlib.deflate(data);
        byte[] damaged = Arrays.copyOf(deflated, deflated.length * keepPercent / 100);
        if (damaged.length > 0) {
            damaged[position % damaged.length] ^= xor;
        }
        Throwable thrown = catchThrowable(() -> Zlib.inflate(damaged, 4096));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(ProtocolException.class);
        }
    }
}
