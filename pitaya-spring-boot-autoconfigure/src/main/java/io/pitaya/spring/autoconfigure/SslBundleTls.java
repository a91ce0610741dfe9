package io.pitaya.spring.autoconfigure;

import io.pitaya.spring.internal.acceptor.netty.ServerTls;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/** An acceptor's TLS from a Spring Boot SSL bundle named in its properties. */
final class SslBundleTls {

    private SslBundleTls() {
    }

    /**
     * @param property the property that names the bundle, for the error
     * @param bundleName the bundle's name, empty or {@code null} for no TLS
     * @param bundles the application's SSL bundles
     * @return the acceptor's TLS, or {@code null} for none
     * @throws IllegalStateException when a bundle is named but none are configured
     */
    static @Nullable ServerTls resolve(String property, @Nullable String bundleName, ObjectProvider<SslBundles> bundles) {
        if (bundleName == null || bundleName.isEmpty()) {
            return null;
        }
        SslBundle bundle = bundles.getIfAvailable(() -> {
            throw new IllegalStateException(property + "=" + bundleName + " but no SSL bundles are configured (spring.ssl.bundle.*)");
        }).getBundle(bundleName);
        SslOptions options = bundle.getOptions();
        return new ServerTls(bundle::createSslContext, options.getEnabledProtocols(), options.getCiphers());
    }
}
