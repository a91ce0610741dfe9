package io.pitaya.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class HandshakeCodecPropertyTest {

    private final HandshakeCodec codec = new HandshakeCodec();

    @Property(tries = 500)
    void randomBytesAreDecodedOrRefusedWithProtocolException(@ForAll @Size(max = 200) byte[] body) {
        for (Throwable thrown : new Throwable[] {catchThrowable(() -> codec.decodeRequest(body)),
                catchThrowable(() -> codec.decodeResponse(body))}) {
            if (thrown != null) {
                assertThat(thrown).isInstanceOf(ProtocolException.class);
            }
        }
    }

    @Property(tries = 300)
    void responsesRoundTripPlainAndCompressed(@ForAll("dicts") Map<String, Integer> dict,
                                               @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 3_600_000) int heartbeatMillis,
                                               @ForAll boolean compress) throws ProtocolException {
        HandshakeResponse response = new HandshakeResponse(200, java.time.Duration.ofMillis(heartbeatMillis), dict, "json");
        byte[] body = codec.encodeResponse(response, compress);
        assertThat(codec.decodeResponse(body)).isEqualTo(response);
        if (compress) {
            byte[] plain = codec.encodeResponse(response, false);
            assertThat(body.length).isLessThanOrEqualTo(plain.length);
            assertThat(Zlib.looksLikeZlib(body)).isEqualTo(body.length < plain.length);
        }
    }

    @Provide
    Arbitrary<Map<String, Integer>> dicts() {
        return Arbitraries.maps(Arbitraries.strings().withCharRange('a', 'z').withChars('.').ofMinLength(1).ofMaxLength(30),
                Arbitraries.integers().between(1, 0xFFFF)).ofMaxSize(60);
    }
}
