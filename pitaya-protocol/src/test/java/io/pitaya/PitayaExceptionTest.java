package io.pitaya;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PitayaExceptionTest {

    @Test
    void errorCodesArePitayas() {
        assertThat(ErrorCodes.UNKNOWN).isEqualTo("PIT-000");
        assertThat(ErrorCodes.BAD_REQUEST).isEqualTo("PIT-400");
        assertThat(ErrorCodes.NOT_FOUND).isEqualTo("PIT-404");
        assertThat(ErrorCodes.TIMEOUT).isEqualTo("PIT-408");
        assertThat(ErrorCodes.CLOSED_REQUEST).isEqualTo("PIT-499");
        assertThat(ErrorCodes.INTERNAL).isEqualTo("PIT-500");
    }

    @Test
    void carriesCodeMessageAndMetadata() {
        Map<String, String> metadata = new HashMap<>(Map.of("k", "v"));
        PitayaException e = new PitayaException("GAME-1", "nope", metadata);
        metadata.put("later", "x");
        assertThat(e.code()).isEqualTo("GAME-1");
        assertThat(e.getMessage()).isEqualTo("nope");
        assertThat(e.metadata()).isEqualTo(Map.of("k", "v"));
        assertThat(e.toString()).contains("GAME-1").contains("nope").contains("k=v");
    }

    @Test
    void absentCodeIsUnknownWhicheverConstructorIsUsed() {
        assertThat(new PitayaException(null, "x").code()).isEqualTo(ErrorCodes.UNKNOWN);
        assertThat(new PitayaException("", "x", Map.of()).code()).isEqualTo(ErrorCodes.UNKNOWN);
        assertThat(new PitayaException(null, "x", (Map<String, String>) null).metadata()).isEmpty();
        RuntimeException cause = new RuntimeException("db down");
        PitayaException withCause = new PitayaException(null, "x", cause);
        assertThat(withCause.code()).isEqualTo(ErrorCodes.UNKNOWN);
        assertThat(withCause.getCause()).isSameAs(cause);
        assertThat(withCause.metadata()).isEmpty();
        assertThat(new PitayaException("", "x", cause).code()).isEqualTo(ErrorCodes.UNKNOWN);
        assertThat(new PitayaException("PIT-408", "x", cause).code()).isEqualTo(ErrorCodes.TIMEOUT);
    }
}
