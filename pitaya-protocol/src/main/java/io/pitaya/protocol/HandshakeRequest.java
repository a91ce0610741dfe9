package io.pitaya.protocol;

import java.util.Map;

/**
 * What a client says in its Handshake packet:
 * {@code {"sys":{"platform":…,"libVersion":…,"clientBuildNumber":…,"clientVersion":…},"user":{…}}}.
 *
 * @param platform the client's platform, e.g. {@code mac}, {@code android}
 * @param libVersion the client library's version
 * @param clientBuildNumber the game client's build number
 * @param clientVersion the game client's version
 * @param sys every {@code sys} key as sent, including ones this model does not name
 * @param user the application's own handshake data
 */
public record HandshakeRequest(String platform, String libVersion, String clientBuildNumber, String clientVersion,
                               Map<String, Object> sys, Map<String, Object> user) {

    /** Normalises absent maps to empty ones. */
    public HandshakeRequest {
        sys = sys == null ? Map.of() : sys;
        user = user == null ? Map.of() : user;
    }

    /**
     * @param platform the client's platform
     * @param libVersion the client library's version
     * @param user the application's handshake data
     * @return a request with the given sys fields and user data
     */
    public static HandshakeRequest of(String platform, String libVersion, Map<String, Object> user) {
        return new HandshakeRequest(platform, libVersion, "", "", Map.of(), user);
    }
}
