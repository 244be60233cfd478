package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.test.TestCertificates;
import io.courier.rpc.tls.TlsHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * TLS through Spring SSL bundles with a real provider and consumer on loopback: mutual TLS with
 * a bearer token (no insecure opt-in needed), a per-service bundle, a plaintext consumer refused
 * with a clear reason, and a reloaded server certificate served to new connections while an open
 * connection keeps calling. Certificates are generated per run.
 */
@Timeout(90)
class TlsIntegrationTests {

    private static final String ALICE = "alice-" + UUID.randomUUID();

    @TempDir
    Path dir;

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @AfterEach
    void close() {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
    }

    /** A provider of {@link Vault} with method security. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableMethodSecurity
    @Import(SecuredVault.class)
    static class Provider {
    }

    private ConfigurableApplicationContext provider(String... properties) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Provider.class)
                .web(WebApplicationType.NONE)
                .properties("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0",
                        "spring.main.banner-mode=off",
                        "courier.rpc.server.auth.tokens.alice.token=" + ALICE,
                        "courier.rpc.server.auth.tokens.alice.roles=ADMIN")
                .properties(properties)
                .run();
        contexts.add(context);
        return context;
    }

    private ConfigurableApplicationContext consumer(ConfigurableApplicationContext provider, String... properties) {
        int port = provider.getBean(RpcServer.class).address().getPort();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AuthIntegrationTests.Consumer.class)
                .web(WebApplicationType.NONE)
                .properties("courier.rpc.registry.address=direct://127.0.0.1:" + port,
                        "spring.main.banner-mode=off", "courier.rpc.consumer.auth.token=" + ALICE)
                .properties(properties)
                .run();
        contexts.add(context);
        return context;
    }

    private static Vault vault(ConfigurableApplicationContext consumer) {
        return consumer.getBean(AuthIntegrationTests.VaultCaller.class).vault;
    }

    /** A server bundle (certificate, key, and the CA for client certificates) and a client bundle. */
    private static String[] serverBundle(TestCertificates certs, Path certificate, Path key) {
        return new String[] {
                "spring.ssl.bundle.pem.courier-server.keystore.certificate=file:" + certificate,
                "spring.ssl.bundle.pem.courier-server.keystore.private-key=file:" + key,
                "spring.ssl.bundle.pem.courier-server.truststore.certificate=file:" + certs.ca().certificatePath(),
                "courier.rpc.server.ssl.bundle=courier-server"};
    }

    private static String[] clientBundle(TestCertificates certs, boolean withCertificate) {
        List<String> p = new ArrayList<>(List.of(
                "spring.ssl.bundle.pem.courier-client.truststore.certificate=file:" + certs.ca().certificatePath()));
        if (withCertificate) {
            p.add("spring.ssl.bundle.pem.courier-client.keystore.certificate=file:" + certs.client().certificatePath());
            p.add("spring.ssl.bundle.pem.courier-client.keystore.private-key=file:" + certs.client().keyPath());
        }
        return p.toArray(String[]::new);
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    @Test
    void mutualTlsWithATokenNeedsNoInsecureOptIn() {
        TestCertificates certs = TestCertificates.create(dir);
        ConfigurableApplicationContext provider = provider(concat(
                serverBundle(certs, certs.server().certificatePath(), certs.server().keyPath()),
                "courier.rpc.server.ssl.client-auth=need"));
        Vault vault = vault(consumer(provider, concat(clientBundle(certs, true),
                "courier.rpc.consumer.ssl.bundle=courier-client", "courier.rpc.consumer.check=true")));

        assertThat(vault.whoAmI()).isEqualTo("alice|alice");
        assertThat(vault.adminOnly()).isEqualTo("opened");
    }

    @Test
    void aServiceCanNameItsOwnBundle() {
        TestCertificates certs = TestCertificates.create(dir);
        ConfigurableApplicationContext provider = provider(
                serverBundle(certs, certs.server().certificatePath(), certs.server().keyPath()));
        Vault vault = vault(consumer(provider, concat(clientBundle(certs, false),
                "courier.rpc.services[" + Vault.class.getName() + "].ssl.bundle=courier-client")));

        assertThat(vault.whoAmI()).isEqualTo("alice|alice");
    }

    @Test
    void aPlaintextConsumerIsToldTheProviderRequiresTls() {
        TestCertificates certs = TestCertificates.create(dir);
        ConfigurableApplicationContext provider = provider(
                serverBundle(certs, certs.server().certificatePath(), certs.server().keyPath()));
        Vault vault = vault(consumer(provider, "courier.rpc.consumer.allow-insecure-credentials=true"));

        assertThatThrownBy(vault::whoAmI).isInstanceOfSatisfying(TlsHandshakeException.class,
                e -> assertThat(e.reason()).isEqualTo(TlsHandshakeException.Reason.PROVIDER_REQUIRES_TLS));
        assertThat(provider.getBean(SecuredVault.class).adminCalls()).isZero();
    }

    @Test
    void anUnknownBundleFailsStartupNamingTheProperty() {
        assertThatThrownBy(() -> provider("courier.rpc.server.ssl.bundle=missing"))
                .hasRootCauseInstanceOf(org.springframework.boot.ssl.NoSuchSslBundleException.class)
                .hasMessageContaining("courier.rpc.server.ssl.bundle names SSL bundle 'missing'");
    }

    @Test
    void aReloadedCertificateReachesNewConnectionsWhileAnOpenOneKeepsCalling() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        Path live = Files.createDirectories(dir.resolve("live"));
        Path certificate = live.resolve("server.crt");
        Path key = live.resolve("server.key");
        Files.copy(certs.server().certificatePath(), certificate);
        Files.copy(certs.server().keyPath(), key);
        ConfigurableApplicationContext provider = provider(concat(serverBundle(certs, certificate, key),
                "spring.ssl.bundle.pem.courier-server.reload-on-update=true",
                "spring.ssl.bundle.watch.file.quiet-period=200ms"));
        int port = provider.getBean(RpcServer.class).address().getPort();
        ConfigurableApplicationContext consumer = consumer(provider, concat(clientBundle(certs, false),
                "courier.rpc.consumer.ssl.bundle=courier-client"));
        Vault vault = vault(consumer);
        assertThat(vault.whoAmI()).isEqualTo("alice|alice");
        assertThat(servedSerial(certs, port)).isEqualTo(certs.server().serial());

        TestCertificates.Issued renewed = certs.newServer();
        Files.copy(renewed.keyPath(), key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed.certificatePath(), certificate, StandardCopyOption.REPLACE_EXISTING);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> renewed.serial().equals(servedSerial(certs, port)));
        // The consumer's connection, opened with the old certificate, still carries calls.
        assertThat(vault.whoAmI()).isEqualTo("alice|alice");
        assertThat(consumer.getBean(RpcClient.class).connectionCounts()).hasSize(1).containsValue(1);
    }

    /** The serial of the certificate a new TLS connection to the port is served. */
    private static BigInteger servedSerial(TestCertificates certs, int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, certs.ca().trustManagerFactory().getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        } catch (IOException e) {
            return BigInteger.ZERO; // the files may be caught mid-copy; the next poll sees them whole
        }
    }
}
