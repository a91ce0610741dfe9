package io.pitaya.protocol;

import static io.pitaya.protocol.Bytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class HandshakeCodecTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HandshakeCodec codec = new HandshakeCodec();

    // ---- client handshake ------------------------------------------------------------------------

    @Test
    void decodesALibpitayaRequest() throws ProtocolException {
        HandshakeRequest request = codec.decodeRequest(utf8(
                "{\"sys\":{\"platform\":\"mac\",\"libVersion\":\"0.3.5-release\",\"clientBuildNumber\":\"20\",\"clientVersion\":\"2.1\"},"
                        + "\"user\":{\"age\":30}}"));
        assertThat(request.platform()).isEqualTo("mac");
        assertThat(request.libVersion()).isEqualTo("0.3.5-release");
        assertThat(request.clientBuildNumber()).isEqualTo("20");
        assertThat(request.clientVersion()).isEqualTo("2.1");
        assertThat(request.user()).containsExactly(Map.entry("age", 30));
        assertThat(request.sys()).containsEntry("platform", "mac").hasSize(4);
    }

    @Test
    void decodesTheOldStarxJsClientRequest() throws ProtocolException {
        HandshakeRequest request = codec.decodeRequest(utf8(
                "{\"sys\":{\"type\":\"js-websocket\",\"version\":\"0.0.1\",\"rsa\":{}},\"user\":{}}"));
        assertThat(request.platform()).isEmpty();
        assertThat(request.libVersion()).isEmpty();
        assertThat(request.clientBuildNumber()).isEmpty();
        assertThat(request.clientVersion()).isEmpty();
        assertThat(request.user()).isEmpty();
        // unknown keys are kept for whoever wants them, and otherwise ignored
        assertThat(request.sys()).containsEntry("type", "js-websocket").containsEntry("version", "0.0.1")
                .containsEntry("rsa", Map.of());
    }

    @Test
    void missingSysAndUserAreEmpty() throws ProtocolException {
        HandshakeRequest request = codec.decodeRequest(utf8("{}"));
        assertThat(request.sys()).isEmpty();
        assertThat(request.user()).isEmpty();
        assertThat(request.platform()).isEmpty();
        HandshakeRequest nulls = codec.decodeRequest(utf8("{\"sys\":null,\"user\":null}"));
        assertThat(nulls.sys()).isEmpty();
        assertThat(nulls.user()).isEmpty();
    }

    @Test
    void numericSysValuesAreReadAsText() throws ProtocolException {
        HandshakeRequest request = codec.decodeRequest(utf8("{\"sys\":{\"clientBuildNumber\":20,\"platform\":{\"x\":1}}}"));
        assertThat(request.clientBuildNumber()).isEqualTo("20");
        assertThat(request.platform()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"sys\":", "not json", "[]", "[{\"sys\":{}}]", "\"sys\"", "42", "null", "true",
            "{\"sys\":\"mac\"}", "{\"sys\":[]}", "{\"user\":[1]}", "{\"user\":\"bob\"}", "{\"user\":7}", "{\"sys\":{}} {"})
    void badRequestsAreProtocolExceptions(String body) {
        assertThatThrownBy(() -> codec.decodeRequest(utf8(body))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void aHandshakeWithinTheShapeLimitsIsAccepted() throws ProtocolException {
        HandshakeCodec strict = new HandshakeCodec(tools.jackson.databind.json.JsonMapper.builder().build(), 3, 5);
        HandshakeRequest request = strict.decodeRequest(utf8("{\"sys\":{\"platform\":\"mac\"},\"user\":{\"a\":{\"b\":1}}}"));
        assertThat(request.user()).containsEntry("a", java.util.Map.of("b", 1));
    }

    @Test
    void aHandshakeNestedTooDeepIsRefused() {
        HandshakeCodec strict = new HandshakeCodec(tools.jackson.databind.json.JsonMapper.builder().build(), 3, 100);
        assertThatThrownBy(() -> strict.decodeRequest(utf8("{\"user\":{\"a\":{\"b\":[1]}}}")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("deeper than 3");
        assertThatThrownBy(() -> codec.decodeRequest(utf8("{\"user\":" + "[".repeat(200) + "]".repeat(200) + "}")))
                .as("the default limit").isInstanceOf(ProtocolException.class);
    }

    @Test
    void aHandshakeWithTooManyEntriesIsRefused() {
        StringBuilder keys = new StringBuilder("{\"sys\":{},\"user\":{");
        for (int i = 0; i < HandshakeCodec.DEFAULT_MAX_ENTRIES; i++) {
            keys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        assertThatThrownBy(() -> codec.decodeRequest(utf8(keys + "}}")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("entries");
        assertThatThrownBy(() -> codec.decodeRequest(utf8("{\"user\":{\"a\":[" + "1,".repeat(200) + "1]}}")))
                .as("array elements count too").isInstanceOf(ProtocolException.class);
    }

    @Test
    void invalidUtf8IsAProtocolException() {
        assertThatThrownBy(() -> codec.decodeRequest(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void requestRoundTrips() throws ProtocolException {
        HandshakeRequest request = new HandshakeRequest("android", "1.0.0", "42", "3.1", Map.of(), Map.of("name", "bob"));
        byte[] body = codec.encodeRequest(request);
        JsonNode json = JSON.readTree(body);
        assertThat(json.path("sys").path("platform").asString()).isEqualTo("android");
        assertThat(json.path("sys").path("libVersion").asString()).isEqualTo("1.0.0");
        assertThat(json.path("sys").path("clientBuildNumber").asString()).isEqualTo("42");
        assertThat(json.path("sys").path("clientVersion").asString()).isEqualTo("3.1");
        assertThat(json.path("user").path("name").asString()).isEqualTo("bob");
        HandshakeRequest decoded = codec.decodeRequest(body);
        assertThat(decoded.platform()).isEqualTo("android");
        assertThat(decoded.libVersion()).isEqualTo("1.0.0");
        assertThat(decoded.clientBuildNumber()).isEqualTo("42");
        assertThat(decoded.clientVersion()).isEqualTo("3.1");
        assertThat(decoded.user()).isEqualTo(Map.of("name", "bob"));

        HandshakeRequest of = HandshakeRequest.of("mac", "0.3.5", null);
        assertThat(of.user()).isEmpty();
        assertThat(utf8String(codec.encodeRequest(of))).isEqualTo("{\"sys\":{\"platform\":\"mac\",\"libVersion\":\"0.3.5\"},\"user\":{}}");
    }

    // ---- server handshake ------------------------------------------------------------------------

    @Test
    void encodesTheResponseExactly() {
        HandshakeResponse response = new HandshakeResponse(200, Duration.ofSeconds(30), Map.of(), "json");
        assertThat(utf8String(codec.encodeResponse(response, false)))
                .isEqualTo("{\"code\":200,\"sys\":{\"heartbeat\":30,\"dict\":{},\"serializer\":\"json\"}}");
        // too small to shrink: stays plain even with compression on
        assertThat(utf8String(codec.encodeResponse(response, true)))
                .isEqualTo("{\"code\":200,\"sys\":{\"heartbeat\":30,\"dict\":{},\"serializer\":\"json\"}}");
    }

    @Test
    void dictIsAlwaysPresent() {
        HandshakeResponse noDict = new HandshakeResponse(200, Duration.ofSeconds(10), null, "protobuf");
        assertThat(utf8String(codec.encodeResponse(noDict, false)))
                .isEqualTo("{\"code\":200,\"sys\":{\"heartbeat\":10,\"dict\":{},\"serializer\":\"protobuf\"}}");
    }

    @Test
    void encodesANonEmptyDict() throws ProtocolException {
        HandshakeResponse one = new HandshakeResponse(200, Duration.ofSeconds(30), Map.of("room.join", 1), "json");
        assertThat(utf8String(codec.encodeResponse(one, false)))
                .isEqualTo("{\"code\":200,\"sys\":{\"heartbeat\":30,\"dict\":{\"room.join\":1},\"serializer\":\"json\"}}");

        Map<String, Integer> dict = new LinkedHashMap<>();
        dict.put("room.join", 1);
        dict.put("chat.room.send", 2);
        dict.put("connector.entry.login", 65535);
        byte[] body = codec.encodeResponse(new HandshakeResponse(200, Duration.ofSeconds(30), dict, "json"), false);
        JsonNode json = JSON.readTree(body);
        assertThat(json.path("sys").path("dict").size()).isEqualTo(3);
        assertThat(json.path("sys").path("dict").path("connector.entry.login").asInt()).isEqualTo(65535);
        assertThat(codec.decodeResponse(body).dict()).isEqualTo(dict);
    }

    @Test
    void compressionDeflatesOnlyWhenSmallerAndBothFormsDecode() throws ProtocolException {
        Map<String, Integer> dict = new LinkedHashMap<>();
        for (int i = 1; i <= 50; i++) {
            dict.put("chat.room.handler" + i, i);
        }
        HandshakeResponse response = new HandshakeResponse(200, Duration.ofSeconds(30), dict, "json");
        byte[] plain = codec.encodeResponse(response, false);
        byte[] compressed = codec.encodeResponse(response, true);
        assertThat(plain[0]).isEqualTo((byte) '{');
        assertThat(compressed[0] & 0xFF).isEqualTo(0x78);
        assertThat(Zlib.looksLikeZlib(compressed)).isTrue();
        assertThat(compressed.length).isLessThan(plain.length);
        assertThat(Zlib.inflate(compressed, 1 << 20)).isEqualTo(plain);

        HandshakeResponse fromPlain = codec.decodeResponse(plain);
        HandshakeResponse fromCompressed = codec.decodeResponse(compressed);
        assertThat(fromPlain).isEqualTo(response);
        assertThat(fromCompressed).isEqualTo(response);

        HandshakeResponse small = new HandshakeResponse(200, Duration.ofSeconds(30), Map.of(), "json");
        byte[] smallBody = codec.encodeResponse(small, true);
        assertThat(smallBody[0]).isEqualTo((byte) '{');
        assertThat(codec.decodeResponse(smallBody)).isEqualTo(small);
    }

    @Test
    void refusal() throws ProtocolException {
        byte[] body = codec.encodeResponse(HandshakeResponse.refused(), false);
        JsonNode json = JSON.readTree(body);
        assertThat(json.path("code").asInt()).isEqualTo(400);
        assertThat(json.has("sys")).isFalse();
        assertThat(codec.decodeResponse(body).code()).isEqualTo(HandshakeResponse.BAD_REQUEST);
        assertThat(HandshakeResponse.refused().code()).isEqualTo(400);
        assertThat(codec.decodeResponse(codec.encodeResponse(HandshakeResponse.refused(), true)).code()).isEqualTo(400);
    }

    @Test
    void fractionalHeartbeatTravelsInSeconds() throws ProtocolException {
        HandshakeResponse response = new HandshakeResponse(200, Duration.ofMillis(1500), Map.of(), "json");
        byte[] body = codec.encodeResponse(response, false);
        assertThat(utf8String(body)).contains("\"heartbeat\":1.5");
        assertThat(codec.decodeResponse(body).heartbeat()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void decodesAPitayaServerAnswer() throws ProtocolException {
        HandshakeResponse response = codec.decodeResponse(utf8(
                "{\"code\":200,\"sys\":{\"heartbeat\":10,\"dict\":{\"room.join\":1,\"room.leave\":2},\"serializer\":\"protobuf\"}}"));
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.heartbeat()).isEqualTo(Duration.ofSeconds(10));
        assertThat(response.dict()).isEqualTo(Map.of("room.join", 1, "room.leave", 2));
        assertThat(response.serializer()).isEqualTo("protobuf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "200", "null", "\"ok\""})
    void badResponsesAreProtocolExceptions(String body) {
        assertThatThrownBy(() -> codec.decodeResponse(utf8(body))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void oddlyTypedResponseFieldsAreProtocolExceptionsOrDefaults() {
        for (String body : new String[] {"{\"code\":\"x\"}", "{\"code\":200,\"sys\":{\"heartbeat\":\"soon\"}}",
                "{\"code\":{},\"sys\":[]}", "{\"code\":200,\"sys\":{\"dict\":[1,2]}}"}) {
            Throwable thrown = catchThrowable(() -> codec.decodeResponse(utf8(body)));
            if (thrown != null) {
                assertThat(thrown).as(body).isInstanceOf(ProtocolException.class);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"x\"", "{}", "[1]", "1.5", "true", "null", "4294967296"})
    void dictValuesThatAreNoRouteCodeAreProtocolExceptions(String value) {
        byte[] body = utf8("{\"code\":200,\"sys\":{\"heartbeat\":30,\"dict\":{\"a\":" + value + "},\"serializer\":\"json\"}}");
        assertThatThrownBy(() -> codec.decodeResponse(body)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void corruptCompressedResponseIsAProtocolException() {
        byte[] compressed = codec.encodeResponse(new HandshakeResponse(200, Duration.ofSeconds(30),
                Map.of("a.b.c".repeat(20), 1, "d.e.f".repeat(20), 2), "json"), true);
        assertThat(Zlib.looksLikeZlib(compressed)).isTrue();
        byte[] truncated = java.util.Arrays.copyOf(compressed, compressed.length / 2);
        assertThatThrownBy(() -> codec.decodeResponse(truncated)).isInstanceOf(ProtocolException.class);
    }

    private static String utf8String(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
