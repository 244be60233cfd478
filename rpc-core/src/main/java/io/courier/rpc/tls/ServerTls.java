package io.courier.rpc.tls;

import io.courier.rpc.InvalidOptionException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * TLS settings of a provider's port: its certificate and key, whom it trusts when it asks
 * consumers for certificates, and whether it does ({@link ClientAuth}).
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}. Each builder method checks its
 * value as it is set, and {@link Builder#build()} builds the {@link SslContext} at once, so bad
 * material fails at startup rather than on the first connection.
 *
 * <pre>{@code
 * ServerTls tls = ServerTls.builder()
 *         .keyManager(Path.of("server.crt"), Path.of("server.key"))   // PEM chain, PKCS#8 key
 *         .trustManager(Path.of("ca.crt"))                            // to verify client certificates
 *         .clientAuth(ClientAuth.NEED)
 *         .build();
 * }</pre>
 *
 * <p>With {@link Builder#sslContext(Supplier)} the supplier is asked for every new connection:
 * return a new context after a certificate changes, and new connections use it while open ones
 * keep the one they started with. A reloading supplier can build each context with
 * {@code ServerTls.builder().keyManager(...).build().context()}. The protocols are restricted to
 * TLS 1.3 and 1.2 on every connection, whatever the supplied context enables.
 */
public final class ServerTls {

    /** Default time a consumer has to complete the handshake after its first bytes arrive. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final SslContext built;
    private final Supplier<SslContext> supplier;
    private final ClientAuth clientAuth;
    private final TlsProvider provider;
    private final Duration handshakeTimeout;
    private final String description;

    private ServerTls(Builder b, SslContext built) {
        this.built = built;
        this.supplier = b.supplier;
        this.clientAuth = b.clientAuth;
        this.provider = b.provider;
        this.handshakeTimeout = b.handshakeTimeout;
        this.description = b.supplier != null ? "supplied SslContext" : b.material.describe();
    }

    /** Returns a builder: no key material yet, {@link ClientAuth#NONE}, {@link TlsProvider#AUTO}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the context for a new connection: the one built from the key material, or what the
     * supplier returns now.
     *
     * @throws IllegalStateException when the supplier returns {@code null} or a client context
     */
    public SslContext context() {
        return TlsMaterial.current(built, supplier, true);
    }

    /** Whether the contexts come from a supplier, asked for each new connection. */
    public boolean isSupplied() {
        return supplier != null;
    }

    /**
     * Returns whether consumers must present a certificate; for a supplied context this is what
     * was declared on the builder, while the context itself decides.
     */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** Returns the provider asked for; {@link TlsProvider#resolve()} tells which one runs. */
    public TlsProvider provider() {
        return provider;
    }

    /** Returns how long a consumer has to complete the handshake. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    @Override
    public String toString() {
        return "ServerTls[" + description + ", clientAuth=" + clientAuth + ", provider=" + provider + "]";
    }

    /** Builds {@link ServerTls}; not thread-safe. */
    public static final class Builder {

        private final TlsMaterial material = new TlsMaterial();
        private Supplier<SslContext> supplier;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private TlsProvider provider = TlsProvider.AUTO;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;

        private Builder() {
        }

        /** Sets the certificate chain (PEM, leaf first) and its unencrypted PKCS#8 private key (PEM). */
        public Builder keyManager(Path certificateChain, Path privateKey) {
            return keyManager(certificateChain, privateKey, null);
        }

        /** Sets the certificate chain (PEM) and its PKCS#8 private key (PEM), encrypted with {@code keyPassword}. */
        public Builder keyManager(Path certificateChain, Path privateKey, String keyPassword) {
            material.keyFiles(certificateChain, privateKey, keyPassword);
            return this;
        }

        /** Sets the key material as a key manager factory (from a key store, say). */
        public Builder keyManager(KeyManagerFactory keyManagerFactory) {
            material.keyManager(keyManagerFactory);
            return this;
        }

        /** Trusts the CA certificates in these PEM files to sign client certificates. */
        public Builder trustManager(Path... trustedCertificates) {
            material.trustFiles(List.of(trustedCertificates));
            return this;
        }

        /** Trusts what this trust manager factory trusts to sign client certificates. */
        public Builder trustManager(TrustManagerFactory trustManagerFactory) {
            material.trustManager(trustManagerFactory);
            return this;
        }

        /**
         * Takes each new connection's context from {@code contexts} instead of key material; the
         * supplier must be thread-safe, fast (it runs on an I/O thread) and return a server context.
         */
        public Builder sslContext(Supplier<SslContext> contexts) {
            this.supplier = Objects.requireNonNull(contexts, "sslContext");
            return this;
        }

        /** Sets whether consumers must present a certificate (default {@link ClientAuth#NONE}). */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
            return this;
        }

        /**
         * Sets the TLS implementation (default {@link TlsProvider#AUTO}).
         *
         * @throws InvalidOptionException for {@link TlsProvider#OPENSSL} when OpenSSL cannot be loaded
         */
        public Builder provider(TlsProvider provider) {
            this.provider = checkProvider(provider);
            return this;
        }

        /** Sets how long a consumer has to complete the handshake (default 10 s). */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
                throw new InvalidOptionException("handshakeTimeout", handshakeTimeout, "> 0");
            }
            this.handshakeTimeout = handshakeTimeout;
            return this;
        }

        /**
         * Returns the immutable settings, with the context built from the key material.
         *
         * @throws InvalidOptionException when there is no key material (nor a supplier), when both
         *     are set, when a client certificate is asked for without trust material, or when the
         *     material cannot be used
         */
        public ServerTls build() {
            if (supplier != null) {
                if (material.hasKey() || material.hasTrust()) {
                    throw new InvalidOptionException("tls", "sslContext and key/trust material",
                            "either key and trust material or an SslContext supplier");
                }
                return new ServerTls(this, null);
            }
            if (!material.hasKey()) {
                throw new InvalidOptionException("keyManager", "none",
                        "a certificate chain and private key, a KeyManagerFactory, or an SslContext supplier");
            }
            if (clientAuth != ClientAuth.NONE && !material.hasTrust()) {
                throw new InvalidOptionException("trustManager", "none", "is needed to verify client certificates ("
                        + "clientAuth " + clientAuth + ")", "PEM CA certificates or a TrustManagerFactory");
            }
            SslContextBuilder builder = material.serverBuilder();
            material.applyTrust(builder);
            builder.clientAuth(clientAuth.netty());
            return new ServerTls(this, TlsMaterial.build(builder, provider, material.describe()));
        }
    }

    static TlsProvider checkProvider(TlsProvider provider) {
        Objects.requireNonNull(provider, "provider");
        if (provider == TlsProvider.OPENSSL && !io.netty.handler.ssl.OpenSsl.isAvailable()) {
            throw new InvalidOptionException("provider", provider, "is not available ("
                    + io.netty.handler.ssl.OpenSsl.unavailabilityCause() + ")",
                    "JDK or AUTO, or netty-tcnative-boringssl-static on the class path");
        }
        return provider;
    }
}
