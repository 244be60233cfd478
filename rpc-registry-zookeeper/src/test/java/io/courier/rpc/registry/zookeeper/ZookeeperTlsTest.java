package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.RecordingListener;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.auth.ProviderRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.GREETER;
import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS to a real ZooKeeper server that serves only TLS and requires client certificates.
 *
 * <p>A ZooKeeper server takes its TLS settings from {@code zookeeper.*} system properties only, so
 * this test sets them for the server and removes them afterwards. Every {@code ZKClientConfig}
 * also starts from those properties; the client settings under test therefore differ from the
 * server's (their own key store, and a foreign trust store in the negative case), which proves
 * the registry's own settings are the ones used.
 */
class ZookeeperTlsTest {

    private static final Map<String, String> SERVER_PROPERTIES = new java.util.LinkedHashMap<>();

    @TempDir
    static Path dir;

    static TestCertificates ca;
    static ZooKeeperServer zooKeeper;
    static ServerCnxnFactory factory;
    static String connectString;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final String root = ZookeeperTestSupport.uniqueRoot();

    @BeforeAll
    static void startTlsServer() throws Exception {
        ca = new TestCertificates("courier-test-ca");
        Path serverKeys = ca.writeKeyStore("zookeeper", dir.resolve("server.p12"));
        Path trusted = ca.writeTrustStore(dir.resolve("ca.p12"));
        SERVER_PROPERTIES.put("zookeeper.serverCnxnFactory", "org.apache.zookeeper.server.NettyServerCnxnFactory");
        SERVER_PROPERTIES.put("zookeeper.ssl.keyStore.location", serverKeys.toString());
        SERVER_PROPERTIES.put("zookeeper.ssl.keyStore.password", TestCertificates.STORE_PASSWORD);
        SERVER_PROPERTIES.put("zookeeper.ssl.trustStore.location", trusted.toString());
        SERVER_PROPERTIES.put("zookeeper.ssl.trustStore.password", TestCertificates.STORE_PASSWORD);
        SERVER_PROPERTIES.put("zookeeper.authProvider.x509", "org.apache.zookeeper.server.auth.X509AuthenticationProvider");
        SERVER_PROPERTIES.forEach(System::setProperty);
        ProviderRegistry.addOrUpdateProvider("zookeeper.authProvider.x509");

        Path data = Files.createDirectories(dir.resolve("data"));
        zooKeeper = new ZooKeeperServer(data.toFile(), data.toFile(), ZookeeperTestSupport.TICK_MILLIS);
        factory = ServerCnxnFactory.createFactory();
        // Port 0 and secure: this server has no plaintext port at all.
        factory.configure(new InetSocketAddress("127.0.0.1", 0), 100, -1, true);
        factory.startup(zooKeeper);
        connectString = "127.0.0.1:" + factory.getLocalPort();
    }

    @AfterAll
    static void stopTlsServer() {
        try {
            if (factory != null) {
                factory.shutdown();
            }
            if (zooKeeper != null) {
                zooKeeper.shutdown();
            }
        } finally {
            SERVER_PROPERTIES.keySet().forEach(System::clearProperty);
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private ZookeeperRegistry registry(String params) {
        ZookeeperRegistry registry = ZookeeperRegistry.create(URI.create("zookeeper://" + connectString + root
                + "?sessionTimeout=3s&connectionTimeout=2s&removalDelay=200ms&" + params));
        closeables.add(registry);
        return registry;
    }

    private static String tls(Path keyStore, Path trustStore) {
        return "secure=true&keyStore=" + keyStore + "&keyStorePassword=" + TestCertificates.STORE_PASSWORD
                + "&trustStore=" + trustStore + "&trustStorePassword=" + TestCertificates.STORE_PASSWORD;
    }

    @Test
    void providerAndConsumerMeetOverTls() throws Exception {
        Path clientKeys = ca.writeKeyStore("courier-client", dir.resolve("client.p12"));
        Path trusted = ca.writeTrustStore(dir.resolve("client-ca.p12"));
        ZookeeperRegistry provider = registry(tls(clientKeys, trusted));
        ZookeeperRegistry consumer = registry(tls(clientKeys, trusted));
        ProviderInstance instance = provider(GREETER, 7001);
        RecordingListener listener = new RecordingListener();

        provider.register(instance);
        consumer.subscribe(GREETER, listener);

        await().atMost(Duration.ofSeconds(15)).until(() -> List.of(instance).equals(listener.latest()));
        assertThat(provider.toString()).contains("secure=true").contains("keyStorePassword=****")
                .doesNotContain(TestCertificates.STORE_PASSWORD);
    }

    @Test
    void serverSignedByAnotherAuthorityIsRefused() throws Exception {
        TestCertificates other = new TestCertificates("someone-else");
        Path clientKeys = other.writeKeyStore("courier-client", dir.resolve("other-client.p12"));
        Path foreign = other.writeTrustStore(dir.resolve("other-ca.p12"));
        ZookeeperRegistry registry = registry(tls(clientKeys, foreign));

        assertThat(registry.client().blockUntilConnected(3, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void plaintextClientCannotConnectToTheTlsPort() throws Exception {
        ZookeeperRegistry registry = registry("");

        assertThat(registry.client().blockUntilConnected(3, TimeUnit.SECONDS)).isFalse();
    }
}
