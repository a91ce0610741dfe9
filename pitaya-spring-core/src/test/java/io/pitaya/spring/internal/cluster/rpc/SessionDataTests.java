package io.pitaya.spring.internal.cluster.rpc;

import java.util.LinkedHashMap;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.pitaya.PitayaException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionDataTests {

    private final SessionData sessionData = new SessionData(JsonMapper.builder().build());

    @Test
    void emptyDataTravelsAsAnEmptyJsonObjectAsPitayaWritesIt() {
        assertThat(sessionData.encode(Map.of()).toStringUtf8()).isEqualTo("{}");
    }

    @Test
    void dataTravelsAsJson() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("shard", "room-1");
        data.put("level", 12);
        assertThat(sessionData.encode(data).toStringUtf8()).isEqualTo("{\"shard\":\"room-1\",\"level\":12}");
        assertThat(sessionData.decode(sessionData.encode(data))).isEqualTo(data);
    }

    @Test
    void everyDecodedMapIsItsOwnEvenForEmptyData() {
        Map<String, Object> first = sessionData.decode(sessionData.encode(Map.of()));
        first.put("changed", true);
        assertThat(sessionData.decode(sessionData.encode(Map.of()))).isEmpty();
        assertThat(sessionData.decode(ByteString.EMPTY)).isEmpty();
    }

    @Test
    void dataThatIsNotAJsonObjectIsABadRequest() {
        assertThatThrownBy(() -> sessionData.decode(ByteString.copyFromUtf8("[1,2]")))
                .isInstanceOf(PitayaException.class)
                .hasMessageContaining("not a JSON object");
    }
}
