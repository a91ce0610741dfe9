package io.pitaya.spring.internal.acceptor.netty;

import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import org.jspecify.annotations.Nullable;

/**
 * TLS for an acceptor: where its {@link SSLContext} comes from, and which protocols and cipher suites it
 * allows. Spring Boot's auto-configuration builds one from an SSL bundle; without Boot, build it from any
 * {@code SSLContext}.
 *
 * @param context creates the context, once, when the acceptor starts
 * @param protocols the enabled protocols, or {@code null} for the JDK's defaults
 * @param ciphers the enabled cipher suites, or {@code null} for the JDK's defaults
 */
public record ServerTls(Supplier<SSLContext> context, String @Nullable [] protocols, String @Nullable [] ciphers) {

    /**
     * @param context the context
     * @return TLS with the JDK's default protocols and cipher suites
     */
    public static ServerTls of(SSLContext context) {
        return new ServerTls(() -> context, null, null);
    }

    /**
     * @param sslContext a context from {@link #context()}
     * @return a server-side engine with this configuration's protocols and cipher suites
     */
    SSLEngine serverEngine(SSLContext sslContext) {
        SSLEngine engine = sslContext.createSSLEngine();
        engine.setUseClientMode(false);
        if (protocols != null) {
            engine.setEnabledProtocols(protocols);
        }
        if (ciphers != null) {
            engine.setEnabledCipherSuites(ciphers);
        }
        return engine;
    }
}
