package io.pitaya.spring.internal.acceptor.websocket;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * Refuses every WebSocket extension (in practice permessage-deflate, which browsers and Node's {@code ws}
 * offer) by hiding the {@code Sec-WebSocket-Extensions} header of the upgrade request from the container.
 * <p>
 * Spring's handshake handler can filter extensions, but Tomcat negotiates its installed ones again when
 * Spring selects none, so the header itself must go. Without the extension every push is sent as it is, as
 * pitaya's Go server (gorilla, compression off) does; pitaya bodies are small, and may use pitaya's own zlib
 * flag. {@code pitaya.acceptor.websocket.compression=true} leaves the header, and the choice, to the container.
 */
public class WebSocketExtensionsFilter implements Filter {

    /** The header a client offers its extensions in. */
    public static final String EXTENSIONS = "Sec-WebSocket-Extensions";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && http.getHeader(EXTENSIONS) != null) {
            chain.doFilter(new WithoutExtensions(http), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private static final class WithoutExtensions extends HttpServletRequestWrapper {

        WithoutExtensions(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return EXTENSIONS.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return EXTENSIONS.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !EXTENSIONS.equalsIgnoreCase(name)).toList());
        }
    }
}
