package io.pitaya.protocol;

import java.time.Duration;
import java.util.Map;

/**
 * The server's answer to a Handshake:
 * {@code {"code":200,"sys":{"heartbeat":<seconds>,"dict":{…},"serializer":"json"}}}.
 *
 * @param code 200 when accepted, 400 when refused
 * @param heartbeat the heartbeat interval; travels in seconds
 * @param dict the route dictionary, never null (an empty map when there is none)
 * @param serializer the name of the serializer for message bodies, e.g. {@code json} or {@code protobuf}
 */
public record HandshakeResponse(int code, Duration heartbeat, Map<String, Integer> dict, String serializer) {

    /** The code of an accepted handshake. */
    public static final int OK = 200;
    /** The code of a refused handshake. */
    public static final int BAD_REQUEST = 400;

    /** Normalises an absent dictionary to an empty one. */
    public HandshakeResponse {
        dict = dict == null ? Map.of() : dict;
        heartbeat = heartbeat == null ? Duration.ZERO : heartbeat;
    }

    /**
     * @return a refusal, code 400
     */
    public static HandshakeResponse refused() {
        return new HandshakeResponse(BAD_REQUEST, Duration.ZERO, Map.of(), null);
    }
}
