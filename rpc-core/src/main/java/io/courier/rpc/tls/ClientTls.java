package io.courier.rpc.tls;

import io.courier.rpc.InvalidOptionException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * TLS settings of a consumer: whom it trusts to sign provider certificates, its own certificate
 * for providers that ask for one (mutual TLS), and whether it checks that a provider's
 * certificate names the host it connects to.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}. Each builder method checks its
 * value as it is set, and {@link Builder#build()} builds the {@link SslContext} at once, so bad
 * material fails at startup.
 *
 * <pre>{@code
 * ClientTls tls = ClientTls.builder()
 *         .trustManager(Path.of("ca.crt"))
 *         .keyManager(Path.of("client.crt"), Path.of("client.key"))   // only for mutual TLS
 *         .build();
 * }</pre>
 *
 * <p>Host-name verification is on by default: the provider's certificate must list the host (or
 * IP address) the consumer connects to, as HTTPS clients check, and the host name is sent as SNI.
 * Only {@link Builder#hostnameVerification(boolean) hostnameVerification(false)} switches it off.
 * With {@link Builder#sslContext(Supplier)} the supplier is asked for each new connection. The
 * protocols are restricted to TLS 1.3 and 1.2 on every connection.
 *
 * <p>Equality is identity: a consumer pools its connections per provider address and
 * {@code ClientTls} instance, so references sharing one instance share connections, and a
 * reference with TLS never shares one with a plaintext reference.
 */
public final class ClientTls {

    private final SslContext built;
    private final Supplier<SslContext> supplier;
    private final boolean hostnameVerification;
    private final TlsProvider provider;
    private final boolean hasKey;
    private final String description;

    private ClientTls(Builder b, SslContext built) {
        this.built = built;
        this.supplier = b.supplier;
        this.hostnameVerification = b.hostnameVerification;
        this.provider = b.provider;
        this.hasKey = b.material.hasKey();
        this.description = b.supplier != null ? "supplied SslContext" : b.material.describe();
    }

    /** Returns a builder: the provider's default trust store, no client certificate, host names verified. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the context for a new connection: the one built from the material, or what the
     * supplier returns now.
     *
     * @throws IllegalStateException when the supplier returns {@code null} or a server context
     */
    public SslContext context() {
        return TlsMaterial.current(built, supplier, false);
    }

    /** Whether the contexts come from a supplier, asked for each new connection. */
    public boolean isSupplied() {
        return supplier != null;
    }

    /** Whether a provider's certificate must name the host connected to (endpoint identification {@code HTTPS}). */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** Whether this consumer has its own certificate to present (always false for a supplied context). */
    public boolean hasClientCertificate() {
        return hasKey;
    }

    /** Returns the provider asked for; {@link TlsProvider#resolve()} tells which one runs. */
    public TlsProvider provider() {
        return provider;
    }

    @Override
    public String toString() {
        return "ClientTls[" + description + ", hostnameVerification=" + hostnameVerification + ", provider="
                + provider + "]";
    }

    /** Builds {@link ClientTls}; not thread-safe. */
    public static final class Builder {

        private final TlsMaterial material = new TlsMaterial();
        private Supplier<SslContext> supplier;
        private boolean hostnameVerification = true;
        private TlsProvider provider = TlsProvider.AUTO;

        private Builder() {
        }

        /** Trusts the CA certificates in these PEM files to sign provider certificates (default: the JDK's CAs). */
        public Builder trustManager(Path... trustedCertificates) {
            material.trustFiles(List.of(trustedCertificates));
            return this;
        }

        /** Trusts what this trust manager factory trusts (default: the JDK's CAs). */
        public Builder trustManager(TrustManagerFactory trustManagerFactory) {
            material.trustManager(trustManagerFactory);
            return this;
        }

        /** Sets this consumer's certificate chain (PEM) and unencrypted PKCS#8 key (PEM), for mutual TLS. */
        public Builder keyManager(Path certificateChain, Path privateKey) {
            return keyManager(certificateChain, privateKey, null);
        }

        /** Sets this consumer's certificate chain (PEM) and PKCS#8 key (PEM) encrypted with {@code keyPassword}. */
        public Builder keyManager(Path certificateChain, Path privateKey, String keyPassword) {
            material.keyFiles(certificateChain, privateKey, keyPassword);
            return this;
        }

        /** Sets this consumer's key material as a key manager factory, for mutual TLS. */
        public Builder keyManager(KeyManagerFactory keyManagerFactory) {
            material.keyManager(keyManagerFactory);
            return this;
        }

        /**
         * Takes each new connection's context from {@code contexts} instead of material; the
         * supplier must be thread-safe, fast (it runs on an I/O thread) and return a client context.
         */
        public Builder sslContext(Supplier<SslContext> contexts) {
            this.supplier = Objects.requireNonNull(contexts, "sslContext");
            return this;
        }

        /** Sets whether a provider's certificate must name the host connected to (default true). */
        public Builder hostnameVerification(boolean hostnameVerification) {
            this.hostnameVerification = hostnameVerification;
            return this;
        }

        /**
         * Sets the TLS implementation (default {@link TlsProvider#AUTO}).
         *
         * @throws InvalidOptionException for {@link TlsProvider#OPENSSL} when OpenSSL cannot be loaded
         */
        public Builder provider(TlsProvider provider) {
            this.provider = ServerTls.checkProvider(provider);
            return this;
        }

        /**
         * Returns the immutable settings, with the context built from the material.
         *
         * @throws InvalidOptionException when both material and a supplier are set, or the
         *     material cannot be used
         */
        public ClientTls build() {
            if (supplier != null) {
                if (material.hasKey() || material.hasTrust()) {
                    throw new InvalidOptionException("tls", "sslContext and key/trust material",
                            "either key and trust material or an SslContext supplier");
                }
                return new ClientTls(this, null);
            }
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .endpointIdentificationAlgorithm(hostnameVerification ? "HTTPS" : null);
            material.applyKey(builder);
            material.applyTrust(builder);
            return new ClientTls(this, TlsMaterial.build(builder, provider, material.describe()));
        }
    }
}
