package io.pitaya.serialize;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.protobuf.Message;
import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON bodies through Jackson 3. Protobuf messages are carried as protobuf's canonical JSON when
 * {@code protobuf-java-util} is on the class path, so the same handler serves JSON and protobuf clients.
 */
public final class JsonSerializer implements Serializer {

    private static final boolean PROTOBUF_JSON = isPresent("com.google.protobuf.util.JsonFormat");

    private final JsonMapper json;

    /** @param json the mapper, typically Spring Boot's */
    public JsonSerializer(JsonMapper json) {
        this.json = json;
    }

    /** A serializer with a default mapper. */
    public JsonSerializer() {
        this(JsonMapper.builder().build());
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public byte[] marshal(Object value) {
        if (PROTOBUF_JSON && value instanceof Message message) {
            return ProtobufJson.print(message);
        }
        try {
            return json.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new SerializationException("cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T unmarshal(byte[] data, Type type) {
        if (PROTOBUF_JSON && type instanceof Class<?> c && Message.class.isAssignableFrom(c)) {
            return (T) ProtobufJson.parse(data, (Class<? extends Message>) c);
        }
        try {
            if (data.length == 0) {
                // An empty body is how clients send "no payload"; treat it as JSON null.
                return (T) json.readValue("null", json.constructType(type));
            }
            return json.readValue(data, json.constructType(type));
        } catch (JacksonException e) {
            throw new SerializationException("invalid JSON for " + type.getTypeName() + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public byte[] marshalError(PitayaException error) {
        Map<String, Object> body = new LinkedHashMap<>();
        putIfNotEmpty(body, "code", error.code());
        putIfNotEmpty(body, "msg", error.getMessage());
        if (!error.metadata().isEmpty()) {
            body.put("metadata", error.metadata());
        }
        return json.writeValueAsBytes(body);
    }

    @Override
    public PitayaException unmarshalError(byte[] data) {
        try {
            JsonNode node = json.readTree(data);
            Map<String, String> metadata = new LinkedHashMap<>();
            JsonNode meta = node.path("metadata");
            if (meta.isObject()) {
                meta.properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asString()));
            }
            return new PitayaException(node.path("code").asString(ErrorCodes.UNKNOWN), node.path("msg").asString(""), metadata);
        } catch (JacksonException e) {
            return new PitayaException(ErrorCodes.UNKNOWN, new String(data, StandardCharsets.UTF_8));
        }
    }

    private static void putIfNotEmpty(Map<String, Object> body, String key, String value) {
        if (value != null && !value.isEmpty()) {
            body.put(key, value);
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, JsonSerializer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
