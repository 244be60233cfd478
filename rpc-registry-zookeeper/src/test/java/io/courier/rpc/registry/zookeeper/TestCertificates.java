package io.courier.rpc.registry.zookeeper;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** A test certificate authority that issues certificates for 127.0.0.1 and writes PKCS#12 stores. */
final class TestCertificates {

    /** The password of every store written; a fake one. */
    static final String STORE_PASSWORD = "fake-store-pw";

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    TestCertificates(String caName) throws Exception {
        this.caKeys = keyPair();
        X500Name name = new X500Name("CN=" + caName);
        X509v3CertificateBuilder builder = builder(name, name, caKeys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        this.caCertificate = sign(builder, caKeys);
    }

    /** Writes a trust store holding this authority's certificate. */
    Path writeTrustStore(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", caCertificate);
        return write(store, file);
    }

    /** Issues a certificate for 127.0.0.1 and localhost and writes it with its key to a key store. */
    Path writeKeyStore(String commonName, Path file) throws Exception {
        KeyPair keys = keyPair();
        X509v3CertificateBuilder builder = builder(new X500Name("CN=" + caName()), new X500Name("CN=" + commonName), keys)
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")}));
        X509Certificate certificate = sign(builder, caKeys);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", keys.getPrivate(), STORE_PASSWORD.toCharArray(),
                new X509Certificate[] {certificate, caCertificate});
        return write(store, file);
    }

    private String caName() {
        return caCertificate.getSubjectX500Principal().getName().substring("CN=".length());
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static Path write(KeyStore store, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
        return file;
    }
}
