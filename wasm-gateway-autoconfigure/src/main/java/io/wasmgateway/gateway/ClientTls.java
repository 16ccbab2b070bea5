package io.wasmgateway.gateway;

import java.security.KeyStore;
import java.util.Set;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.core.io.ResourceLoader;

/**
 * TLS of our clients (clusters, module downloads) through Spring Boot SSL bundles: {@code ssl-bundle} names a
 * {@code spring.ssl.bundle.*} bundle (trust store, and a key store for client certificates); {@code trust-bundle}
 * is a shorthand for a PEM bundle of certificates to trust, read by Boot's own PEM support. Neither: the JVM's
 * trust store. Host names are always verified.
 */
public final class ClientTls {

    private ClientTls() {
    }

    /**
     * The bundle configured under {@code prefix}, or null for the JVM's defaults.
     *
     * @param prefix the properties' prefix, for messages ({@code wasm.gateway.clusters.auth})
     * @throws IllegalArgumentException naming the property when the bundle is unknown or cannot be read, or both
     *     properties are set
     */
    public static @Nullable SslBundle bundle(String prefix, @Nullable String sslBundle, @Nullable String trustBundle,
            @Nullable SslBundles bundles, ResourceLoader resourceLoader) {
        boolean named = sslBundle != null && !sslBundle.isBlank();
        boolean pem = trustBundle != null && !trustBundle.isBlank();
        if (named && pem) {
            throw new IllegalArgumentException(prefix + ": set ssl-bundle or trust-bundle, not both");
        }
        if (named) {
            if (bundles == null) {
                throw new IllegalArgumentException(prefix + ".ssl-bundle: no SSL bundles are configured "
                        + "(spring.ssl.bundle.*)");
            }
            try {
                return bundles.getBundle(sslBundle);
            }
            catch (NoSuchSslBundleException ex) {
                throw new IllegalArgumentException(prefix + ".ssl-bundle: " + ex.getMessage(), ex);
            }
        }
        if (pem) {
            try {
                SslBundle bundle = SslBundle.of(new PemSslStoreBundle(null,
                        PemSslStoreDetails.forCertificates(trustBundle)));
                bundle.getStores().getTrustStore(); // read now, so a bad file fails the startup
                return bundle;
            }
            catch (RuntimeException ex) {
                throw new IllegalArgumentException(prefix + ".trust-bundle: cannot read " + trustBundle + ": "
                        + ex.getMessage(), ex);
            }
        }
        return null;
    }

    /** A Netty client context from a bundle: its trust managers, its key managers when it has a key store. */
    public static SslContext nettyClient(SslBundle bundle) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
            .trustManager(bundle.getManagers().getTrustManagerFactory());
        KeyStore keys = bundle.getStores().getKeyStore();
        if (keys != null) {
            builder.keyManager(bundle.getManagers().getKeyManagerFactory());
        }
        SslOptions options = bundle.getOptions();
        Set<String> protocols = options.getEnabledProtocols() == null ? null : Set.of(options.getEnabledProtocols());
        if (protocols != null) {
            builder.protocols(protocols);
        }
        if (options.getCiphers() != null) {
            builder.ciphers(Set.of(options.getCiphers()));
        }
        return builder.build();
    }
}
