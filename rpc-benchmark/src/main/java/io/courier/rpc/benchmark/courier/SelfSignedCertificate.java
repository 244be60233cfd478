package io.courier.rpc.benchmark.courier;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Writes a new self-signed server certificate for {@code 127.0.0.1} and {@code localhost} (EC
 * P-256, valid from a day ago for a week) and its key into a directory as {@value #CERTIFICATE}
 * and {@value #KEY} (unencrypted PKCS#8), both PEM. The certificate is its own trust anchor:
 * clients trust {@value #CERTIFICATE}. Nothing is committed; every call makes a new key.
 *
 * <p>Stateless and thread-safe; concurrent writers into one directory each replace both files
 * atomically, so a reader sees one whole certificate (not necessarily the one matching a given
 * server).
 */
public final class SelfSignedCertificate {

    /** The certificate's file name in the directory. */
    public static final String CERTIFICATE = "cert.pem";
    /** The private key's file name in the directory. */
    public static final String KEY = "key.pem";

    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfSignedCertificate() {
    }

    /**
     * Generates a key pair and certificate and writes them into {@code directory}, creating it
     * when missing and replacing earlier files.
     *
     * @throws IOException when the files cannot be written
     */
    public static void writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=courier-benchmark");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, RANDOM),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(7))), subject,
                    keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")}));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            byte[] certificate = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                    .getEncoded();
            // The key first: a reader that finds the certificate finds its key.
            replace(directory, KEY, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            replace(directory, CERTIFICATE, pem("CERTIFICATE", certificate));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot generate the benchmark's TLS certificate", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void replace(Path directory, String name, String content) throws IOException {
        Path tmp = Files.createTempFile(directory, name, ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
