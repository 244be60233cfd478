package io.courier.rpc.test;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Certificates for TLS tests, generated with BouncyCastle into a directory the test owns (a
 * {@code @TempDir}): a CA, a server certificate for {@code 127.0.0.1} and {@code localhost}, a
 * client certificate, an expired server certificate, one for another host name, and a second,
 * unrelated CA with a server and a client certificate of its own. Nothing is committed: every
 * run makes new keys.
 *
 * <p>Thread-safe once created. Keys are EC P-256, which the JDK and OpenSSL both accept and
 * which are quick to generate.
 *
 * <pre>{@code
 * @TempDir Path dir;
 * TestCertificates certs = TestCertificates.create(dir);
 * ServerTls tls = ServerTls.builder().keyManager(certs.server().certificatePath(), certs.server().keyPath()).build();
 * }</pre>
 */
public final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final AtomicInteger sequence = new AtomicInteger();
    private final Issued ca;
    private final Issued server;
    private final Issued client;
    private final Issued expiredServer;
    private final Issued otherHostServer;
    private final Issued otherCa;
    private final Issued otherCaServer;
    private final Issued otherCaClient;

    private TestCertificates(Path directory) {
        this.directory = directory;
        this.ca = selfSignedCa("ca", "Courier Test CA");
        this.server = issue("server", ca, "server", false, now().minus(Duration.ofDays(1)),
                now().plus(Duration.ofDays(30)), List.of("127.0.0.1", "localhost"));
        this.client = issue("client", ca, "client", true, now().minus(Duration.ofDays(1)),
                now().plus(Duration.ofDays(30)), List.of());
        this.expiredServer = issue("expired-server", ca, "server", false, now().minus(Duration.ofDays(30)),
                now().minus(Duration.ofDays(1)), List.of("127.0.0.1", "localhost"));
        this.otherHostServer = issue("other-host-server", ca, "other.example", false,
                now().minus(Duration.ofDays(1)), now().plus(Duration.ofDays(30)), List.of("other.example"));
        this.otherCa = selfSignedCa("other-ca", "Unrelated Test CA");
        this.otherCaServer = issue("other-ca-server", otherCa, "server", false, now().minus(Duration.ofDays(1)),
                now().plus(Duration.ofDays(30)), List.of("127.0.0.1", "localhost"));
        this.otherCaClient = issue("other-ca-client", otherCa, "client", true, now().minus(Duration.ofDays(1)),
                now().plus(Duration.ofDays(30)), List.of());
    }

    /** Generates every certificate into {@code directory}, which must exist (a {@code @TempDir}). */
    public static TestCertificates create(Path directory) {
        return new TestCertificates(Objects.requireNonNull(directory, "directory"));
    }

    /** Returns the CA that signed the server, client, expired and other-host certificates. */
    public Issued ca() {
        return ca;
    }

    /** Returns a server certificate for {@code 127.0.0.1} and {@code localhost}, signed by {@link #ca()}. */
    public Issued server() {
        return server;
    }

    /** Returns a client certificate signed by {@link #ca()}. */
    public Issued client() {
        return client;
    }

    /** Returns a server certificate for {@code 127.0.0.1} and {@code localhost} that expired yesterday. */
    public Issued expiredServer() {
        return expiredServer;
    }

    /** Returns a server certificate for {@code other.example} only, signed by {@link #ca()}. */
    public Issued otherHostServer() {
        return otherHostServer;
    }

    /** Returns a second CA, unrelated to {@link #ca()}. */
    public Issued otherCa() {
        return otherCa;
    }

    /** Returns a server certificate for {@code 127.0.0.1} and {@code localhost} signed by {@link #otherCa()}. */
    public Issued otherCaServer() {
        return otherCaServer;
    }

    /** Returns a client certificate signed by {@link #otherCa()}. */
    public Issued otherCaClient() {
        return otherCaClient;
    }

    /** Issues a new server certificate for {@code 127.0.0.1} and {@code localhost} from {@link #ca()}, with a new serial. */
    public Issued newServer() {
        return issue("server-" + sequence.incrementAndGet(), ca, "server", false, now().minus(Duration.ofDays(1)),
                now().plus(Duration.ofDays(30)), List.of("127.0.0.1", "localhost"));
    }

    /**
     * A certificate with its private key, in memory and as PEM files.
     *
     * @param certificate the certificate
     * @param privateKey its private key
     * @param certificatePath the certificate as PEM (the chain is the certificate alone; its CA is trusted separately)
     * @param keyPath the unencrypted PKCS#8 private key as PEM
     */
    public record Issued(X509Certificate certificate, PrivateKey privateKey, Path certificatePath, Path keyPath) {

        /** Returns a key manager factory holding this certificate and key. */
        public KeyManagerFactory keyManagerFactory() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                char[] password = "test".toCharArray();
                store.setKeyEntry("key", privateKey, password, new Certificate[] {certificate});
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(store, password);
                return factory;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("Cannot build a key manager", e);
            }
        }

        /** Returns a trust manager factory trusting this certificate (a CA) alone. */
        public TrustManagerFactory trustManagerFactory() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("ca", certificate);
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                return factory;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("Cannot build a trust manager", e);
            }
        }

        /** Returns the certificate's serial number. */
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }
    }

    private Issued selfSignedCa(String name, String commonName) {
        KeyPair keys = newKeyPair();
        X500Name subject = new X500Name("CN=" + commonName);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now().minus(Duration.ofDays(1))), Date.from(now().plus(Duration.ofDays(365))), subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return write(name, sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Issued issue(String name, Issued issuer, String commonName, boolean client, Instant notBefore,
            Instant notAfter, List<String> names) {
        KeyPair keys = newKeyPair();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(), serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + commonName), keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                    | KeyUsage.keyEncipherment | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(client ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
            if (!names.isEmpty()) {
                List<GeneralName> alternatives = new ArrayList<>();
                for (String n : names) {
                    alternatives.add(n.chars().allMatch(c -> Character.isDigit(c) || c == '.')
                            ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            }
            return write(name, sign(builder, issuer.privateKey()), keys.getPrivate());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot issue " + name, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a test certificate", e);
        }
    }

    private Issued write(String name, X509Certificate certificate, PrivateKey key) {
        try {
            Path cert = directory.resolve(name + ".crt");
            Path keyFile = directory.resolve(name + ".key");
            Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
            // getEncoded() of a JCA private key is PKCS#8.
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
            return new Issued(certificate, key, cert, keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate an EC key pair", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    private static Instant now() {
        return Instant.now();
    }
}
