package io.pitaya.serialize;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.proto.PitayaProto.Push;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.type.TypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonSerializerTest {

    /** A typical handler payload. */
    public record JoinRequest(String name, int level, List<String> tags) {
    }

    private final JsonSerializer json = new JsonSerializer();

    @Test
    void name() {
        assertThat(json.name()).isEqualTo("json");
    }

    @Test
    void errorPayloadIsPitayasErrorJson() {
        byte[] payload = json.marshalError(new PitayaException("PIT-404", "no handler room.join", Map.of("route", "room.join")));
        assertThat(text(payload)).isEqualTo("{\"code\":\"PIT-404\",\"msg\":\"no handler room.join\",\"metadata\":{\"route\":\"room.join\"}}");
    }

    @Test
    void emptyErrorFieldsAreOmitted() {
        assertThat(text(json.marshalError(new PitayaException("PIT-500", "boom"))))
                .isEqualTo("{\"code\":\"PIT-500\",\"msg\":\"boom\"}");
        assertThat(text(json.marshalError(new PitayaException("PIT-500", "", Map.of()))))
                .isEqualTo("{\"code\":\"PIT-500\"}");
        assertThat(text(json.marshalError(new PitayaException("PIT-500", null, Map.of("k", "v")))))
                .isEqualTo("{\"code\":\"PIT-500\",\"metadata\":{\"k\":\"v\"}}");
        // an absent code is pitaya's unknown code, never omitted
        assertThat(text(json.marshalError(new PitayaException(null, "x")))).isEqualTo("{\"code\":\"PIT-000\",\"msg\":\"x\"}");
    }

    @Test
    void errorRoundTrips() {
        PitayaException error = new PitayaException("GAME-42", "not enough gold", Map.of("need", "10", "have", "3"));
        PitayaException back = json.unmarshalError(json.marshalError(error));
        assertThat(back.code()).isEqualTo("GAME-42");
        assertThat(back.getMessage()).isEqualTo("not enough gold");
        assertThat(back.metadata()).isEqualTo(Map.of("need", "10", "have", "3"));
    }

    @Test
    void decodesAPitayaErrorFromTheWire() {
        PitayaException error = json.unmarshalError(bytes("{\"code\":\"PIT-404\",\"msg\":\"route not found\",\"metadata\":{\"a\":\"b\"}}"));
        assertThat(error.code()).isEqualTo(ErrorCodes.NOT_FOUND);
        assertThat(error.getMessage()).isEqualTo("route not found");
        assertThat(error.metadata()).containsExactly(Map.entry("a", "b"));
        PitayaException bare = json.unmarshalError(bytes("{}"));
        assertThat(bare.code()).isEqualTo(ErrorCodes.UNKNOWN);
        assertThat(bare.getMessage()).isEmpty();
    }

    @Test
    void undecodableErrorPayloadBecomesAnUnknownError() {
        PitayaException error = json.unmarshalError(bytes("internal error"));
        assertThat(error.code()).isEqualTo(ErrorCodes.UNKNOWN);
        assertThat(error.getMessage()).isEqualTo("internal error");
    }

    @Test
    void recordRoundTrips() {
        JoinRequest request = new JoinRequest("bob", 7, List.of("a", "b"));
        byte[] bytes = json.marshal(request);
        assertThat(text(bytes)).isEqualTo("{\"name\":\"bob\",\"level\":7,\"tags\":[\"a\",\"b\"]}");
        JoinRequest back = json.unmarshal(bytes, JoinRequest.class);
        assertThat(back).isEqualTo(request);
    }

    @Test
    void genericTypes() {
        Type type = new TypeReference<Map<String, List<Integer>>>() { }.getType();
        Map<String, List<Integer>> value = json.unmarshal(bytes("{\"a\":[1,2]}"), type);
        assertThat(value).isEqualTo(Map.of("a", List.of(1, 2)));
    }

    @Test
    void emptyBodyIsNull() {
        JoinRequest value = json.unmarshal(new byte[0], JoinRequest.class);
        assertThat(value).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "not json", "{\"level\":\"high\"}", "[1,2]", "\"x\""})
    void invalidInputIsASerializationException(String body) {
        assertThatThrownBy(() -> json.unmarshal(bytes(body), JoinRequest.class)).isInstanceOf(SerializationException.class);
    }

    @Test
    void unwritableValueIsASerializationException() {
        Object selfReferencing = new Object() {
            public Object getSelf() {
                return this;
            }
        };
        assertThatThrownBy(() -> json.marshal(selfReferencing)).isInstanceOf(SerializationException.class);
    }

    @Test
    void protobufMessagesTravelAsProtobufJson() {
        Push push = Push.newBuilder().setRoute("chat.onMessage").setUid("u1").setData(ByteString.copyFrom(new byte[] {1, 2})).build();
        byte[] bytes = json.marshal(push);
        assertThat(text(bytes)).isEqualTo("{\"route\":\"chat.onMessage\",\"uid\":\"u1\",\"data\":\"AQI=\"}");
        Push back = json.unmarshal(bytes, Push.class);
        assertThat(back).isEqualTo(push);
        Push empty = json.unmarshal(new byte[0], Push.class);
        assertThat(empty).isEqualTo(Push.getDefaultInstance());
        assertThatThrownBy(() -> json.unmarshal(bytes("{\"route\":"), Push.class)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> json.unmarshal(bytes("{\"uid\":{}}"), Push.class)).isInstanceOf(SerializationException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
