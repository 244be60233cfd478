package io.courier.rpc.benchmark.courier;

import io.courier.rpc.tls.ClientTls;
import io.courier.rpc.tls.ServerTls;
import io.courier.rpc.tls.TlsProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TLS of the {@code courier-tls-*} contenders: server-authenticated TLS (no client certificate)
 * on one provider, with a {@link SelfSignedCertificate} that the server writes into a directory
 * shared with the client. The server JVM writes it once per directory before it reports ready;
 * the client trusts whatever {@value SelfSignedCertificate#CERTIFICATE} holds when it connects and
 * verifies that it names {@code 127.0.0.1}.
 *
 * <p>Without a directory (in-process tests), server and client of one JVM share a temporary one.
 *
 * <p>Immutable and thread-safe.
 */
public final class BenchmarkTls {

    /** Directories this JVM has written a certificate into: a second server reuses it. */
    private static final Set<Path> WRITTEN = ConcurrentHashMap.newKeySet();
    private static volatile Path defaultDirectory;

    private final TlsProvider provider;
    private final Path directory;

    private BenchmarkTls(TlsProvider provider, Path directory) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.directory = directory;
    }

    /** Returns TLS on {@code provider} with this JVM's temporary certificate directory. */
    public static BenchmarkTls of(TlsProvider provider) {
        return new BenchmarkTls(provider, null);
    }

    /** Returns the same TLS with the certificate in {@code dir}, which server and client must share. */
    public BenchmarkTls inDirectory(Path dir) {
        return new BenchmarkTls(provider, dir.toAbsolutePath().normalize());
    }

    /** Returns the provider forced on both ends. */
    public TlsProvider provider() {
        return provider;
    }

    /**
     * Returns the server's settings, first writing the certificate when this JVM has not yet.
     *
     * @throws UncheckedIOException when the certificate cannot be written
     */
    public ServerTls server() {
        Path dir = directory();
        synchronized (WRITTEN) {
            if (!WRITTEN.contains(dir)) {
                try {
                    SelfSignedCertificate.writeTo(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot write the benchmark certificate into " + dir, e);
                }
                WRITTEN.add(dir);
            }
        }
        return ServerTls.builder()
                .keyManager(dir.resolve(SelfSignedCertificate.CERTIFICATE), dir.resolve(SelfSignedCertificate.KEY))
                .provider(provider)
                .build();
    }

    /**
     * Returns the client's settings, trusting the server's certificate.
     *
     * @throws IllegalStateException when no server has written one into the directory yet
     */
    public ClientTls client() {
        Path cert = directory().resolve(SelfSignedCertificate.CERTIFICATE);
        if (!Files.isRegularFile(cert)) {
            throw new IllegalStateException("No server certificate at " + cert
                    + ": start the server first, with the same --tls-dir");
        }
        return ClientTls.builder().trustManager(cert).provider(provider).build();
    }

    private Path directory() {
        if (directory != null) {
            return directory;
        }
        synchronized (BenchmarkTls.class) {
            if (defaultDirectory == null) {
                try {
                    Path dir = Files.createTempDirectory("courier-bench-tls");
                    dir.toFile().deleteOnExit();
                    dir.resolve(SelfSignedCertificate.KEY).toFile().deleteOnExit();
                    dir.resolve(SelfSignedCertificate.CERTIFICATE).toFile().deleteOnExit();
                    defaultDirectory = dir;
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot create a directory for the benchmark certificate", e);
                }
            }
            return defaultDirectory;
        }
    }

    @Override
    public String toString() {
        return "BenchmarkTls[" + provider + (directory == null ? "" : ", " + directory) + "]";
    }
}
