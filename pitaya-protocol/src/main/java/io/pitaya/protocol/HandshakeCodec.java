package io.pitaya.protocol;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the JSON bodies of Handshake packets. Thread-safe.
 *
 * <p>A client's handshake comes before anything proves the client genuine, so its shape is bounded:
 * nesting depth and the number of entries (object members and array elements, counted over the whole
 * document). Its size is bounded by the acceptor, which refuses a larger Handshake packet on its header.
 */
public final class HandshakeCodec {

    /** Default deepest nesting of a client handshake ({@code {"user":{"a":1}}} is 2 deep). */
    public static final int DEFAULT_MAX_DEPTH = 8;
    /** Default most entries (object members plus array elements) of a client handshake. */
    public static final int DEFAULT_MAX_ENTRIES = 128;

    private final JsonMapper json;
    private final int maxInflatedLength;
    private final int maxDepth;
    private final int maxEntries;

    /**
     * @param json the mapper for handshake JSON
     * @param maxDepth the deepest nesting accepted in a client's handshake
     * @param maxEntries the most object members plus array elements accepted in a client's handshake
     */
    public HandshakeCodec(JsonMapper json, int maxDepth, int maxEntries) {
        if (maxDepth < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("maxDepth and maxEntries must be positive");
        }
        this.json = json;
        this.maxInflatedLength = Packet.MAX_BODY_LENGTH;
        this.maxDepth = maxDepth;
        this.maxEntries = maxEntries;
    }

    /** @param json the mapper for handshake JSON; default shape limits */
    public HandshakeCodec(JsonMapper json) {
        this(json, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ENTRIES);
    }

    /** A codec with a default mapper. */
    public HandshakeCodec() {
        this(JsonMapper.builder().build());
    }

    /**
     * @param request the client's handshake
     * @return the JSON body
     */
    public byte[] encodeRequest(HandshakeRequest request) {
        ObjectNode root = json.createObjectNode();
        ObjectNode sys = root.putObject("sys");
        request.sys().forEach((k, v) -> sys.set(k, json.valueToTree(v)));
        putIfPresent(sys, "platform", request.platform());
        putIfPresent(sys, "libVersion", request.libVersion());
        putIfPresent(sys, "clientBuildNumber", request.clientBuildNumber());
        putIfPresent(sys, "clientVersion", request.clientVersion());
        root.set("user", json.valueToTree(request.user()));
        return json.writeValueAsBytes(root);
    }

    /**
     * @param body the JSON body of a client's Handshake packet
     * @return the request; unknown {@code sys} keys are kept in {@link HandshakeRequest#sys()} and otherwise ignored
     * @throws ProtocolException when the body is not a JSON object, its {@code sys}/{@code user} are not
     *         objects, or it is nested deeper or has more entries than this codec's limits
     */
    @SuppressWarnings("unchecked")
    public HandshakeRequest decodeRequest(byte[] body) throws ProtocolException {
        JsonNode root = readObject(body);
        checkShape(root);
        JsonNode sys = root.path("sys");
        JsonNode user = root.path("user");
        if (!sys.isMissingNode() && !sys.isNull() && !sys.isObject()) {
            throw new ProtocolException("handshake 'sys' is not a JSON object");
        }
        if (!user.isMissingNode() && !user.isNull() && !user.isObject()) {
            throw new ProtocolException("handshake 'user' is not a JSON object");
        }
        Map<String, Object> sysMap = sys.isObject() ? json.treeToValue(sys, LinkedHashMap.class) : Map.of();
        Map<String, Object> userMap = user.isObject() ? json.treeToValue(user, LinkedHashMap.class) : Map.of();
        return new HandshakeRequest(text(sys, "platform"), text(sys, "libVersion"), text(sys, "clientBuildNumber"),
                text(sys, "clientVersion"), sysMap, userMap);
    }

    /**
     * @param response the server's answer
     * @param compress deflate the JSON with zlib when that makes it smaller
     * @return the body of the server's Handshake packet
     */
    public byte[] encodeResponse(HandshakeResponse response, boolean compress) {
        ObjectNode root = json.createObjectNode();
        root.put("code", response.code());
        if (response.code() == HandshakeResponse.OK) {
            ObjectNode sys = root.putObject("sys");
            long millis = response.heartbeat().toMillis();
            if (millis % 1000 == 0) {
                sys.put("heartbeat", millis / 1000);
            } else {
                sys.put("heartbeat", BigDecimal.valueOf(millis, 3));
            }
            ObjectNode dict = sys.putObject("dict");
            response.dict().forEach(dict::put);
            if (response.serializer() != null) {
                sys.put("serializer", response.serializer());
            }
        }
        byte[] plain = json.writeValueAsBytes(root);
        if (compress) {
            byte[] deflated = Zlib.deflate(plain);
            if (deflated.length < plain.length) {
                return deflated;
            }
        }
        return plain;
    }

    /**
     * @param body the body of the server's Handshake packet, plain or zlib-deflated
     * @return the server's answer
     * @throws ProtocolException when the body is neither valid JSON nor a zlib stream of it
     */
    public HandshakeResponse decodeResponse(byte[] body) throws ProtocolException {
        byte[] plain = Zlib.looksLikeZlib(body) ? Zlib.inflate(body, maxInflatedLength) : body;
        JsonNode root = readObject(plain);
        int code = root.path("code").asInt(0);
        JsonNode sys = root.path("sys");
        Duration heartbeat = Duration.ofMillis(Math.round(sys.path("heartbeat").asDouble(0) * 1000));
        Map<String, Integer> dict = new LinkedHashMap<>();
        JsonNode dictNode = sys.path("dict");
        if (dictNode.isObject()) {
            for (Map.Entry<String, JsonNode> e : dictNode.properties()) {
                JsonNode value = e.getValue();
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw new ProtocolException("handshake dict entry '" + e.getKey() + "' is not a route code: " + value);
                }
                dict.put(e.getKey(), value.intValue());
            }
        }
        JsonNode serializer = sys.path("serializer");
        return new HandshakeResponse(code, heartbeat, dict, serializer.isString() ? serializer.asString() : null);
    }

    private JsonNode readObject(byte[] body) throws ProtocolException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new ProtocolException("handshake is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException("handshake is not a JSON object");
        }
        return root;
    }

    private void checkShape(JsonNode root) throws ProtocolException {
        int[] entries = {0};
        int depth = walk(root, 1, entries);
        if (depth > maxDepth) {
            throw new ProtocolException("handshake JSON is nested deeper than " + maxDepth);
        }
        if (entries[0] > maxEntries) {
            throw new ProtocolException("handshake JSON has more than " + maxEntries + " entries");
        }
    }

    /** @return the depth reached below {@code node}; stops early once a limit is passed */
    private int walk(JsonNode node, int depth, int[] entries) {
        if (!node.isContainer() || depth > maxDepth || entries[0] > maxEntries) {
            return node.isContainer() ? depth : depth - 1;
        }
        int deepest = depth;
        for (JsonNode child : node) {
            entries[0]++;
            deepest = Math.max(deepest, walk(child, depth + 1, entries));
            if (deepest > maxDepth || entries[0] > maxEntries) {
                break;
            }
        }
        return deepest;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asString() : "";
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }
}
