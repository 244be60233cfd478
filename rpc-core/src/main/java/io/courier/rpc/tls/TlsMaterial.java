package io.courier.rpc.tls;

import io.courier.rpc.InvalidOptionException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Key and trust material of one end as the builders collected it, and the {@link SslContext}
 * made from it: TLS 1.3 and 1.2 only, on the chosen provider.
 *
 * <p>Not thread-safe while a builder fills it; read-only once built.
 */
final class TlsMaterial {

    /** The only protocols Courier enables, newest first. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private Path certificateChain;
    private Path privateKey;
    private String keyPassword;
    private KeyManagerFactory keyManagerFactory;
    private final List<Path> trustedCertificates = new ArrayList<>();
    private TrustManagerFactory trustManagerFactory;

    TlsMaterial() {
    }

    TlsMaterial(TlsMaterial other) {
        certificateChain = other.certificateChain;
        privateKey = other.privateKey;
        keyPassword = other.keyPassword;
        keyManagerFactory = other.keyManagerFactory;
        trustedCertificates.addAll(other.trustedCertificates);
        trustManagerFactory = other.trustManagerFactory;
    }

    void keyFiles(Path chain, Path key, String password) {
        this.certificateChain = readableFile("certificateChain", chain);
        this.privateKey = readableFile("privateKey", key);
        this.keyPassword = password;
        this.keyManagerFactory = null;
    }

    void keyManager(KeyManagerFactory factory) {
        this.keyManagerFactory = Objects.requireNonNull(factory, "keyManagerFactory");
        this.certificateChain = null;
        this.privateKey = null;
        this.keyPassword = null;
    }

    void trustFiles(List<Path> files) {
        Objects.requireNonNull(files, "trustedCertificates");
        if (files.isEmpty()) {
            throw new InvalidOptionException("trustedCertificates", files, "at least one PEM file");
        }
        List<Path> checked = new ArrayList<>();
        for (Path file : files) {
            checked.add(readableFile("trustedCertificates", file));
        }
        trustedCertificates.clear();
        trustedCertificates.addAll(checked);
        trustManagerFactory = null;
    }

    void trustManager(TrustManagerFactory factory) {
        this.trustManagerFactory = Objects.requireNonNull(factory, "trustManagerFactory");
        trustedCertificates.clear();
    }

    boolean hasKey() {
        return keyManagerFactory != null || certificateChain != null;
    }

    boolean hasTrust() {
        return trustManagerFactory != null || !trustedCertificates.isEmpty();
    }

    /** Returns a short description of the material for logs and {@code toString}, without secrets. */
    String describe() {
        String key = keyManagerFactory != null ? "KeyManagerFactory"
                : certificateChain != null ? "PEM " + certificateChain.getFileName() : "none";
        String trust = trustManagerFactory != null ? "TrustManagerFactory"
                : !trustedCertificates.isEmpty() ? "PEM " + trustedCertificates.stream().map(Path::getFileName).toList()
                : "default";
        return "key=" + key + ", trust=" + trust;
    }

    /** Returns a server context builder with the key material, which {@link #hasKey()} must have. */
    SslContextBuilder serverBuilder() {
        try {
            return keyManagerFactory != null ? SslContextBuilder.forServer(keyManagerFactory)
                    : SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile(), keyPassword);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("keyManager", describe(), "cannot be used: " + e.getMessage(),
                    "a PEM certificate chain with its PKCS#8 private key");
        }
    }

    /** Applies the key material, or leaves the builder without one. */
    void applyKey(SslContextBuilder builder) {
        if (keyManagerFactory != null) {
            builder.keyManager(keyManagerFactory);
        } else if (certificateChain != null) {
            try {
                builder.keyManager(certificateChain.toFile(), privateKey.toFile(), keyPassword);
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException("keyManager", describe(), "cannot be used: " + e.getMessage(),
                        "a PEM certificate chain with its PKCS#8 private key");
            }
        }
    }

    /** Applies the trust material, or leaves the provider's default. */
    void applyTrust(SslContextBuilder builder) {
        if (trustManagerFactory != null) {
            builder.trustManager(trustManagerFactory);
        } else if (!trustedCertificates.isEmpty()) {
            builder.trustManager(readCertificates());
        }
    }

    /** Builds a context, turning unreadable material into an {@link InvalidOptionException}. */
    static SslContext build(SslContextBuilder builder, TlsProvider provider, String describedMaterial) {
        try {
            return builder.sslProvider(provider.netty()).protocols(PROTOCOLS).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidOptionException("tls", describedMaterial, "cannot be used: " + e.getMessage(),
                    "a PEM certificate chain with its PKCS#8 private key, PEM CA certificates, or key/trust manager factories");
        }
    }

    private X509Certificate[] readCertificates() {
        List<X509Certificate> all = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Path file : trustedCertificates) {
                try (InputStream in = Files.newInputStream(file)) {
                    var read = factory.generateCertificates(in);
                    if (read.isEmpty()) {
                        throw new InvalidOptionException("trustedCertificates", file.toString(),
                                "holds no certificate", "PEM CA certificates");
                    }
                    for (var c : read) {
                        all.add((X509Certificate) c);
                    }
                }
            }
        } catch (IOException | CertificateException e) {
            throw new InvalidOptionException("trustedCertificates", trustedCertificates.toString(),
                    "cannot be read: " + e.getMessage(), "PEM CA certificates");
        }
        return all.toArray(X509Certificate[]::new);
    }

    private static Path readableFile(String option, Path file) {
        Objects.requireNonNull(file, option);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidOptionException(option, file.toString(), "a readable PEM file");
        }
        return file;
    }

    /**
     * The context for a new connection: {@code built}, or what {@code supplier} returns now,
     * which must be a context of the right side.
     */
    static SslContext current(SslContext built, Supplier<SslContext> supplier, boolean server) {
        if (supplier == null) {
            return built;
        }
        SslContext context = supplier.get();
        if (context == null || context.isServer() != server) {
            String side = server ? "server" : "client";
            throw new IllegalStateException("The " + side + " TLS context supplier returned "
                    + (context == null ? "null" : "a " + (server ? "client" : "server") + " context")
                    + " (expected: a " + side + " SslContext)");
        }
        return context;
    }
}
