package io.pitaya.protocol;

/**
 * A parsed route, {@code serverType.component.method}.
 *
 * @param serverType the type of server that handles it
 * @param component the component (service) name
 * @param method the method name
 */
public record Route(String serverType, String component, String method) {

    /**
     * Parses a route. Two parts ({@code component.method}) mean the given default server type.
     * @param route the route text
     * @param defaultServerType this server's type, used for two-part routes
     * @return the route
     * @throws ProtocolException when a part is empty or the number of parts is not 2 or 3
     */
    public static Route parse(String route, String defaultServerType) throws ProtocolException {
        if (route == null || route.isEmpty()) {
            throw new ProtocolException("empty route");
        }
        int first = route.indexOf('.');
        int second = first < 0 ? -1 : route.indexOf('.', first + 1);
        if (first < 0 || (second >= 0 && route.indexOf('.', second + 1) >= 0)) {
            throw new ProtocolException("route '" + route + "' must have 2 or 3 parts");
        }
        Route parsed = second < 0
                ? new Route(defaultServerType, route.substring(0, first), route.substring(first + 1))
                : new Route(route.substring(0, first), route.substring(first + 1, second), route.substring(second + 1));
        if (parsed.serverType == null || parsed.serverType.isEmpty() || parsed.component.isEmpty() || parsed.method.isEmpty()) {
            throw new ProtocolException("route '" + route + "' has an empty part");
        }
        return parsed;
    }

    /** @return {@code component.method}, the key within one server type */
    public String shortName() {
        return component + "." + method;
    }

    @Override
    public String toString() {
        return serverType + "." + component + "." + method;
    }
}
