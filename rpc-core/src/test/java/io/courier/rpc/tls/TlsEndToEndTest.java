package io.courier.rpc.tls;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.test.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Calls over TLS on real sockets, with the JDK's TLS and with OpenSSL. */
@Timeout(60)
class TlsEndToEndTest {

    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private final TlsFixture fixture = new TlsFixture();

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private static TestCertificates certs() {
        if (certs == null) {
            certs = TestCertificates.create(dir);
        }
        return certs;
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void callsTravelOverTls(TlsProvider provider) {
        TlsFixture.assumeAvailable(provider);
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().server(), provider).build());
        RpcClient client = fixture.client(TlsFixture.clientTls(certs(), provider).build());

        Greeter greeter = TlsFixture.greeter(client, server.address());

        assertThat(greeter.greet("tls")).isEqualTo("hello tls");
        assertThat(greeter.greet("again")).isEqualTo("hello again");
        assertThat(fixture.invocations).hasValue(2);
        assertThat(provider.resolve()).isEqualTo(provider);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void mutualTlsWithNeedAcceptsATrustedClientCertificate(TlsProvider provider) {
        TlsFixture.assumeAvailable(provider);
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().server(), provider)
                .trustManager(certs().ca().certificatePath()).clientAuth(ClientAuth.NEED).build());
        RpcClient client = fixture.client(TlsFixture.clientTls(certs(), provider)
                .keyManager(certs().client().certificatePath(), certs().client().keyPath()).build());

        assertThat(TlsFixture.greeter(client, server.address()).greet("mutual")).isEqualTo("hello mutual");
    }

    @Test
    void keyAndTrustManagerFactoriesWorkLikePemFiles() {
        RpcServer server = fixture.server(ServerTls.builder().keyManager(certs().server().keyManagerFactory())
                .trustManager(certs().ca().trustManagerFactory()).clientAuth(ClientAuth.WANT).build());
        RpcClient client = fixture.client(ClientTls.builder().trustManager(certs().ca().trustManagerFactory())
                .keyManager(certs().client().keyManagerFactory()).build());

        assertThat(TlsFixture.greeter(client, server.address()).greet("factories")).isEqualTo("hello factories");
    }

    @Test
    void localhostMatchesTheCertificateToo() {
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().server(), TlsProvider.AUTO).build());
        RpcClient client = fixture.client(TlsFixture.clientTls(certs(), TlsProvider.AUTO).build());

        Greeter greeter = client.reference(ReferenceConfig.builder(Greeter.class)
                .address("localhost:" + server.address().getPort()).build());

        assertThat(greeter.greet("by name")).isEqualTo("hello by name");
    }

    @Test
    void aReferenceWithItsOwnTlsGetsItsOwnConnections() {
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().server(), TlsProvider.AUTO).build());
        RpcClient client = fixture.client(TlsFixture.clientTls(certs(), TlsProvider.AUTO).build());
        ClientTls own = TlsFixture.clientTls(certs(), TlsProvider.JDK).build();
        String address = TlsFixture.target(server.address());

        Greeter shared = client.reference(ReferenceConfig.builder(Greeter.class).address(address).build());
        Greeter separate = client.reference(ReferenceConfig.builder(Greeter.class).address(address).tls(own).build());

        assertThat(shared.greet("a")).isEqualTo("hello a");
        assertThat(separate.greet("b")).isEqualTo("hello b");
        await().untilAsserted(() -> assertThat(client.connectionCounts())
                .containsEntry(java.net.InetSocketAddress.createUnresolved("127.0.0.1", server.address().getPort()), 2));
        assertThat(server.connectionCount()).isEqualTo(2);
    }

    @Test
    void aPlaintextReferenceAndATlsReferenceToOneAddressDoNotShareAConnection() {
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().server(), TlsProvider.AUTO).build());
        RpcClient client = fixture.client(null);
        String address = TlsFixture.target(server.address());
        Greeter secured = client.reference(ReferenceConfig.builder(Greeter.class).address(address)
                .tls(TlsFixture.clientTls(certs(), TlsProvider.AUTO).build()).build());
        Greeter plain = client.reference(ReferenceConfig.builder(Greeter.class).address(address).retries(0).build());

        assertThat(secured.greet("first")).isEqualTo("hello first");
        TlsHandshakeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                TlsHandshakeException.class, () -> plain.greet("refused"));
        assertThat(secured.greet("second")).isEqualTo("hello second");

        assertThat(refused.reason()).isEqualTo(TlsHandshakeException.Reason.PROVIDER_REQUIRES_TLS);
        assertThat(fixture.invocations).hasValue(2);
    }

    @Test
    void referencesWithTheSameTlsSettingsShareConnections() {
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().server(), TlsProvider.AUTO).build());
        RpcClient client = fixture.client(null);
        ClientTls tls = TlsFixture.clientTls(certs(), TlsProvider.AUTO).build();
        String address = TlsFixture.target(server.address());

        Greeter first = client.reference(ReferenceConfig.builder(Greeter.class).address(address).tls(tls).build());
        Greeter second = client.reference(ReferenceConfig.builder(Greeter.class).address(address).tls(tls)
                .timeout(java.time.Duration.ofSeconds(4)).build());

        assertThat(first.greet("1") + second.greet("2")).isEqualTo("hello 1hello 2");
        assertThat(client.connectionCounts().values()).containsExactly(1);
        assertThat(Map.of("connections", server.connectionCount())).containsEntry("connections", 1);
    }
}
