package io.courier.rpc.benchmark.courier;

import io.courier.rpc.benchmark.FixedUserService;
import io.courier.rpc.benchmark.contender.ClientAdapter;
import io.courier.rpc.benchmark.contender.Contender;
import io.courier.rpc.benchmark.load.Contenders;
import io.courier.rpc.tls.TlsProvider;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code courier-tls-*} contenders really talk TLS on 127.0.0.1 with the provider they name:
 * the server writes its certificate into the shared directory, a TLS client trusting it gets
 * the service's answers, and a plaintext Courier client is refused by the same port (and a TLS
 * client by a plaintext one).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CourierTlsContenderTest {

    private static final String HOST = "127.0.0.1";

    private final FixedUserService expected = new FixedUserService();

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void tlsClientCallsTheTlsServerAndAPlaintextClientIsRefused(TlsProvider provider, @TempDir Path dir)
            throws Exception {
        String name = "courier-tls-" + provider.name().toLowerCase(Locale.ROOT);
        // As the two JVMs of run.sh get it: by name, with the same --tls-dir.
        Contender serverSide = Contenders.byName(name, dir);
        Contender clientSide = Contenders.byName(name, dir);
        assertThat(serverSide.name()).isEqualTo(name);

        try (Contender.RunningServer server = serverSide.startServer(HOST, 0)) {
            assertThat(dir.resolve(SelfSignedCertificate.CERTIFICATE)).isRegularFile();
            assertThat(dir.resolve(SelfSignedCertificate.KEY)).isRegularFile();
            try (ClientAdapter client = clientSide.connect(HOST, server.port())) {
                assertThat(client.sync().getUser(7)).isEqualTo(expected.getUser(7));
                assertThat(client.async().getUser(11).get(10, TimeUnit.SECONDS)).isEqualTo(expected.getUser(11));
            }
            assertRefused(Contenders.byName("courier"), server.port());
        }
    }

    @Test
    void aTlsClientIsRefusedByAPlaintextServer(@TempDir Path dir) throws Exception {
        Contender tls = Contenders.byName("courier-tls-jdk", dir);
        try (Contender.RunningServer tlsServer = tls.startServer(HOST, 0);
                Contender.RunningServer plain = Contenders.byName("courier").startServer(HOST, 0)) {
            assertThat(tlsServer.port()).isPositive();
            assertRefused(tls, plain.port());
        }
    }

    /** Connecting may succeed (the TCP connection opens), but no call gets through. */
    private static void assertRefused(Contender client, int port) {
        ClientAdapter adapter;
        try {
            adapter = client.connect(HOST, port);
        } catch (Exception refused) {
            return;
        }
        try (ClientAdapter c = adapter) {
            assertThatThrownBy(() -> c.sync().getUser(1)).as(client.name() + " on port " + port)
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void eachContenderForcesItsProviderOnBothEnds(@TempDir Path dir) {
        SslContext jdkServer = BenchmarkTls.of(TlsProvider.JDK).inDirectory(dir).server().context();
        SslContext jdkClient = BenchmarkTls.of(TlsProvider.JDK).inDirectory(dir).client().context();
        SslContext opensslServer = BenchmarkTls.of(TlsProvider.OPENSSL).inDirectory(dir).server().context();
        SslContext opensslClient = BenchmarkTls.of(TlsProvider.OPENSSL).inDirectory(dir).client().context();

        assertThat(jdkServer).isInstanceOf(JdkSslContext.class);
        assertThat(jdkClient).isInstanceOf(JdkSslContext.class).matches(SslContext::isClient);
        assertThat(opensslServer).isNotInstanceOf(JdkSslContext.class)
                .matches(c -> c.getClass().getSimpleName().contains("OpenSsl"), "an OpenSSL context");
        assertThat(opensslClient).isNotInstanceOf(JdkSslContext.class)
                .matches(c -> c.getClass().getSimpleName().contains("OpenSsl"), "an OpenSSL context");
    }

    @Test
    void withoutTlsTheDirectoryChangesNothing(@TempDir Path dir) {
        Contender plain = Contenders.byName("courier");
        assertThat(Contenders.byName("courier", dir)).isSameAs(plain);
        assertThat(Contenders.all()).extracting(Contender::name).doesNotContain("courier-tls-jdk", "courier-tls-openssl");
    }
}
