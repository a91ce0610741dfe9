package io.pitaya.spring.internal.acceptor.websocket;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Which browser pages may open the WebSocket, by their {@code Origin} header, with the rules of Spring's
 * {@code setAllowedOrigins}: "*" for any; otherwise the listed origins (scheme://host[:port]) and the
 * server's own origin. A request without an Origin header does not come from a browser page
 * (libpitaya, Go and native clients send none) and is not affected.
 */
final class WebSocketOrigins {

    private final boolean any;
    private final Set<String> allowed;

    /** @param allowedOrigins origins allowed besides the server's own, "*" for any */
    WebSocketOrigins(List<String> allowedOrigins) {
        this.any = allowedOrigins.contains("*");
        this.allowed = allowedOrigins.stream().map(o -> trimSlash(o.trim().toLowerCase(Locale.ROOT))).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param origin the request's Origin header, {@code null} when absent
     * @param host the request's Host header, {@code null} when absent
     * @param secure whether the request came over TLS
     * @return whether the request may upgrade
     */
    boolean allows(@Nullable String origin, @Nullable String host, boolean secure) {
        if (origin == null || any) {
            return true;
        }
        String normalized = trimSlash(origin.trim().toLowerCase(Locale.ROOT));
        return allowed.contains(normalized) || sameOrigin(normalized, host, secure);
    }

    private static boolean sameOrigin(String origin, String host, boolean secure) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        try {
            URI page = new URI(origin);
            URI server = new URI((secure ? "https" : "http") + "://" + host.trim().toLowerCase(Locale.ROOT));
            if (page.getHost() == null || server.getHost() == null || page.getScheme() == null) {
                return false;
            }
            return page.getScheme().equals(server.getScheme()) && page.getHost().equals(server.getHost())
                    && port(page) == port(server);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static String trimSlash(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }
}
