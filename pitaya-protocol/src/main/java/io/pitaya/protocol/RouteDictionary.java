package io.pitaya.protocol;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The route dictionary: routes that travel as a 2-byte code instead of their text. It is sent to the
 * client in the handshake and is immutable once built, so one instance is shared by all connections.
 */
public final class RouteDictionary {

    private static final RouteDictionary EMPTY = new RouteDictionary(Map.of());

    private final Map<String, Integer> codes;
    private final String[] routes;

    private RouteDictionary(Map<String, Integer> codes) {
        int max = 0;
        Map<Integer, String> seen = new HashMap<>();
        for (Map.Entry<String, Integer> e : codes.entrySet()) {
            int code = e.getValue();
            if (code < 1 || code > 0xFFFF) {
                throw new IllegalArgumentException("route code of '" + e.getKey() + "' must be within 1..65535, is " + code);
            }
            String previous = seen.put(code, e.getKey());
            if (previous != null) {
                throw new IllegalArgumentException("routes '" + previous + "' and '" + e.getKey() + "' share code " + code);
            }
            max = Math.max(max, code);
        }
        this.codes = Map.copyOf(codes);
        this.routes = new String[max + 1];
        seen.forEach((code, route) -> routes[code] = route);
    }

    /** @return the empty dictionary */
    public static RouteDictionary empty() {
        return EMPTY;
    }

    /**
     * @param codes route to code, codes unique within 1..65535
     * @return the dictionary
     */
    public static RouteDictionary of(Map<String, Integer> codes) {
        return codes == null || codes.isEmpty() ? EMPTY : new RouteDictionary(codes);
    }

    /**
     * @param route a route
     * @return its code, or -1 when it has none
     */
    public int code(String route) {
        Integer code = codes.get(route);
        return code == null ? -1 : code;
    }

    /**
     * @param code a route code
     * @return its route, or {@code null} when the code is unknown
     */
    public @Nullable String route(int code) {
        return code >= 0 && code < routes.length ? routes[code] : null;
    }

    /** @return route to code, as sent in the handshake */
    public Map<String, Integer> asMap() {
        return codes;
    }

    /** @return true when no route has a code */
    public boolean isEmpty() {
        return codes.isEmpty();
    }
}
