package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.tls.ClientAuth;
import io.courier.rpc.tls.ClientTls;
import io.courier.rpc.tls.ServerTls;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Turns Spring SSL bundles into Courier's TLS settings, following their reloads: each setting
 * reads the bundle's latest context for every new connection, so a reloaded certificate reaches
 * new connections while open ones keep theirs.
 *
 * <p>One {@link ClientTls} per bundle and host-name setting: Courier pools connections per
 * address and TLS settings, so references naming the same bundle share their connections.
 * Thread-safe.
 */
final class SslBundleTls {

    private static final Logger log = LoggerFactory.getLogger(SslBundleTls.class);

    private final ObjectProvider<SslBundles> bundles;
    private final Map<String, ClientTls> clients = new ConcurrentHashMap<>();

    SslBundleTls(ObjectProvider<SslBundles> bundles) {
        this.bundles = bundles;
    }

    /** The server's TLS from a bundle's key (and, for client certificates, trust) material. */
    ServerTls server(String bundleName, ClientAuth clientAuth, String property) {
        Function<SslBundle, SslContext> build = bundle -> ServerTls.builder()
                .keyManager(bundle.getManagers().getKeyManagerFactory())
                .trustManager(bundle.getManagers().getTrustManagerFactory())
                .clientAuth(clientAuth)
                .build()
                .context();
        AtomicReference<SslContext> current = follow(bundleName, build, property);
        return ServerTls.builder().sslContext(current::get).clientAuth(clientAuth).build();
    }

    /** A consumer's TLS from a bundle's trust (and, for mutual TLS, key) material. */
    ClientTls client(String bundleName, boolean verifyHostname, String property) {
        return clients.computeIfAbsent(bundleName + (verifyHostname ? "" : "#no-hostname-verification"), key -> {
            Function<SslBundle, SslContext> build = bundle -> {
                ClientTls.Builder b = ClientTls.builder()
                        .trustManager(bundle.getManagers().getTrustManagerFactory())
                        .hostnameVerification(verifyHostname);
                if (bundle.getStores().getKeyStore() != null) {
                    b.keyManager(bundle.getManagers().getKeyManagerFactory());
                }
                return b.build().context();
            };
            AtomicReference<SslContext> current = follow(bundleName, build, property);
            return ClientTls.builder().sslContext(current::get).hostnameVerification(verifyHostname).build();
        });
    }

    private AtomicReference<SslContext> follow(String bundleName, Function<SslBundle, SslContext> build,
            String property) {
        SslBundles registry = bundles.getIfAvailable();
        if (registry == null) {
            throw new CourierRpcStartupException(property + " names SSL bundle '" + bundleName
                    + "', but the application has no SslBundles bean",
                    "Keep Spring Boot's SslAutoConfiguration enabled (it defines spring.ssl.bundle.*).", null);
        }
        SslBundle bundle;
        try {
            bundle = registry.getBundle(bundleName);
        } catch (NoSuchSslBundleException e) {
            throw new CourierRpcStartupException(property + " names SSL bundle '" + bundleName + "', which does not exist",
                    "Define it under spring.ssl.bundle.pem." + bundleName + " or spring.ssl.bundle.jks." + bundleName
                    + ", or fix the name.", e);
        }
        SslContext first;
        try {
            first = build.apply(bundle);
        } catch (RuntimeException e) {
            throw new CourierRpcStartupException("SSL bundle '" + bundleName + "' (" + property
                    + ") cannot be used for Courier TLS: " + e.getMessage(),
                    "Check the bundle's certificate, private key and trusted certificates.", e);
        }
        AtomicReference<SslContext> current = new AtomicReference<>(first);
        registry.addBundleUpdateHandler(bundleName, updated -> {
            try {
                current.set(build.apply(updated));
                log.info("SSL bundle '{}' reloaded: new connections use its new certificates", bundleName);
            } catch (RuntimeException e) {
                log.warn("SSL bundle '{}' changed but cannot be used ({}); connections keep the previous certificates",
                        bundleName, e.getMessage());
            }
        });
        return current;
    }
}
