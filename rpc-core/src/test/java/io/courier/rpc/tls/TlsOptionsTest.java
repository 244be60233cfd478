package io.courier.rpc.tls;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.test.TestCertificates;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The TLS builders check each value as it is set, and the options carry the settings. */
class TlsOptionsTest {

    @TempDir
    static Path dir;
    private static TestCertificates certs;

    @BeforeAll
    static void certificates() {
        certs = TestCertificates.create(dir);
    }

    @Test
    void aServerNeedsKeyMaterial() {
        InvalidOptionException e = catchThrowableOfType(InvalidOptionException.class,
                () -> ServerTls.builder().build());
        assertThat(e.option()).isEqualTo("keyManager");
    }

    @Test
    void clientAuthNeedsTrustMaterial() {
        InvalidOptionException e = catchThrowableOfType(InvalidOptionException.class, () -> ServerTls.builder()
                .keyManager(certs.server().certificatePath(), certs.server().keyPath())
                .clientAuth(ClientAuth.NEED).build());
        assertThat(e.option()).isEqualTo("trustManager");
        assertThat(e.getMessage()).contains("NEED");
    }

    @Test
    void missingFilesFailAsTheyAreSet() {
        Path missing = dir.resolve("missing.crt");
        assertThat(catchThrowableOfType(InvalidOptionException.class,
                () -> ServerTls.builder().keyManager(missing, certs.server().keyPath())).option())
                .isEqualTo("certificateChain");
        assertThat(catchThrowableOfType(InvalidOptionException.class,
                () -> ClientTls.builder().trustManager(missing)).option()).isEqualTo("trustedCertificates");
        assertThat(catchThrowableOfType(InvalidOptionException.class,
                () -> ClientTls.builder().trustManager()).option()).isEqualTo("trustedCertificates");
    }

    @Test
    void unusableMaterialFailsAtBuild() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        assertThatThrownBy(() -> ServerTls.builder().keyManager(garbage, garbage).build())
                .isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> ClientTls.builder().trustManager(garbage).build())
                .isInstanceOf(InvalidOptionException.class);
    }

    @Test
    void aSupplierExcludesMaterial() {
        SslContext context = ClientTls.builder().build().context();
        InvalidOptionException e = catchThrowableOfType(InvalidOptionException.class, () -> ClientTls.builder()
                .sslContext(() -> context).trustManager(certs.ca().certificatePath()).build());
        assertThat(e.option()).isEqualTo("tls");
    }

    @Test
    void theHandshakeTimeoutMustBePositive() {
        assertThat(catchThrowableOfType(InvalidOptionException.class,
                () -> ServerTls.builder().handshakeTimeout(Duration.ZERO)).getMessage())
                .isEqualTo("handshakeTimeout: PT0S (expected: > 0)");
    }

    @Test
    void aSupplierIsAskedForEachContextAndMustReturnTheRightSide() {
        SslContext server = TlsFixture.serverTls(certs.server(), TlsProvider.JDK).build().context();
        AtomicInteger asked = new AtomicInteger();
        ServerTls tls = ServerTls.builder().sslContext(() -> {
            asked.incrementAndGet();
            return server;
        }).build();

        assertThat(tls.context()).isSameAs(server);
        assertThat(tls.context()).isSameAs(server);
        assertThat(asked).hasValue(2);
        assertThat(tls.isSupplied()).isTrue();
        assertThatThrownBy(() -> ClientTls.builder().sslContext(() -> server).build().context())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client SslContext");
    }

    @Test
    void hostnameVerificationIsOnUnlessSwitchedOff() {
        assertThat(ClientTls.builder().build().hostnameVerification()).isTrue();
        assertThat(ClientTls.builder().hostnameVerification(false).build().hostnameVerification()).isFalse();
    }

    @Test
    void optionsCarryTheSettings() {
        ServerTls serverTls = TlsFixture.serverTls(certs.server(), TlsProvider.AUTO).build();
        ClientTls clientTls = TlsFixture.clientTls(certs, TlsProvider.AUTO).build();

        ServerOptions server = ServerOptions.builder().tls(serverTls).build();
        ClientOptions client = ClientOptions.builder().tls(clientTls).build();

        assertThat(server.tls()).isSameAs(serverTls);
        assertThat(server.toBuilder().build().tls()).isSameAs(serverTls);
        assertThat(ServerOptions.ofDefaults().tls()).isNull();
        assertThat(client.tls()).isSameAs(clientTls);
        assertThat(client.toBuilder().tls(null).build().tls()).isNull();
        assertThat(server.toString()).contains("tls=ServerTls[");
    }

    @Test
    void referencesWithDifferentTlsSettingsAreDifferent() {
        ClientTls tls = TlsFixture.clientTls(certs, TlsProvider.AUTO).build();
        ReferenceConfig<Greeter> plain = ReferenceConfig.builder(Greeter.class).address("127.0.0.1:1").build();
        ReferenceConfig<Greeter> secured = ReferenceConfig.builder(Greeter.class).address("127.0.0.1:1").tls(tls)
                .build();
        ReferenceConfig<Greeter> securedAgain = ReferenceConfig.builder(Greeter.class).address("127.0.0.1:1")
                .tls(tls).build();

        assertThat(secured).isNotEqualTo(plain).isEqualTo(securedAgain).hasSameHashCodeAs(securedAgain);
        assertThat(secured.tls()).isSameAs(tls);
        assertThat(plain.tls()).isNull();
    }
}
