package io.pitaya.spring.internal.cluster.rpc;

import java.util.LinkedHashMap;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.pitaya.protocol.proto.PitayaProto;
import io.pitaya.spring.session.Session;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Session data as it travels between servers: a JSON map, as in pitaya. */
public final class SessionData {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    /** An empty map, as pitaya (Go's encoding/json) writes it; most sessions carry no data. */
    private static final ByteString EMPTY = ByteString.copyFromUtf8("{}");

    private final JsonMapper json;

    /** @param json the mapper for session data */
    public SessionData(JsonMapper json) {
        this.json = json;
    }

    /**
     * @param session a session
     * @return pitaya's {@code protos.Session} for it
     */
    public PitayaProto.Session toProto(Session session) {
        return PitayaProto.Session.newBuilder()
                .setId(session.id())
                .setUid(session.uid() == null ? "" : session.uid())
                .setData(encode(session.data()))
                .build();
    }

    /**
     * @param data session data
     * @return its JSON bytes
     */
    public ByteString encode(Map<String, Object> data) {
        if (data.isEmpty()) {
            return EMPTY;
        }
        return ByteString.copyFrom(json.writeValueAsBytes(data));
    }

    /**
     * @param data JSON bytes, possibly empty
     * @return the session data
     */
    public Map<String, Object> decode(ByteString data) {
        if (data.isEmpty() || data.equals(EMPTY)) {
            return new LinkedHashMap<>();
        }
        try {
            return json.readValue(data.toByteArray(), MAP);
        } catch (JacksonException e) {
            throw new io.pitaya.PitayaException(io.pitaya.ErrorCodes.BAD_REQUEST, "session data is not a JSON object: " + e.getOriginalMessage());
        }
    }
}
