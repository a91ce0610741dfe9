package io.pitaya.samples.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

import io.pitaya.samples.cluster.protos.Reply;
import io.pitaya.samples.cluster.protos.SessionData;
import io.pitaya.spring.session.Session;

/** Helpers shared by the connector and the room for their protobuf messages. */
final class Messages {

    private Messages() {
    }

    /** @return the answer of a handler that succeeded */
    static Reply success() {
        return Reply.newBuilder().setCode(200).setMsg("success").build();
    }

    /**
     * @param session a session
     * @return its data, each value as a string
     */
    static SessionData sessionData(Session session) {
        SessionData.Builder data = SessionData.newBuilder();
        session.data().forEach((key, value) -> data.putData(key, String.valueOf(value)));
        return data.build();
    }

    /**
     * @param data session data from a client
     * @return the same, as a session takes it
     */
    static Map<String, Object> toMap(SessionData data) {
        return new LinkedHashMap<>(data.getDataMap());
    }
}
