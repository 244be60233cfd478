package io.courier.rpc.tls;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.test.TestCertificates;
import io.courier.rpc.tls.TlsHandshakeException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Each way a secure connection fails reaches the caller as a {@link TlsHandshakeException} with
 * its reason and the provider's address, with the JDK's TLS and with OpenSSL on both ends; the
 * provider invokes nothing, warns once, and keeps serving good consumers.
 */
@Timeout(60)
class TlsHandshakeFailureTest {

    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private final TlsFixture fixture = new TlsFixture();
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private final Logger warningLogger =
            (Logger) LoggerFactory.getLogger("io.courier.rpc.internal.transport.HandshakeWarnings");

    @BeforeEach
    void captureWarnings() {
        warnings.start();
        warningLogger.addAppender(warnings);
    }

    @AfterEach
    void close() throws Exception {
        warningLogger.detachAppender(warnings);
        fixture.close();
    }

    private static TestCertificates certs() {
        if (certs == null) {
            certs = TestCertificates.create(dir);
        }
        return certs;
    }

    /** Calls once, expects the failure, checks nothing ran, and that a good consumer still gets through. */
    private TlsHandshakeException failure(RpcServer server, RpcClient client, Reason reason) {
        Greeter greeter = TlsFixture.greeter(client, server.address());
        TlsHandshakeException e = catchThrowableOfType(TlsHandshakeException.class, () -> greeter.greet("x"));
        assertThat(e).as("call through a misconfigured connection").isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(e.code()).isEqualTo(RpcErrorCode.CONNECT_FAILED);
        assertThat(e.isRetrySafe()).isTrue();
        assertThat(e.provider()).isEqualTo(TlsFixture.target(server.address()));
        assertThat(e.getMessage()).contains(TlsFixture.target(server.address()));
        assertThat(fixture.invocations).hasValue(0);
        return e;
    }

    private void aGoodConsumerStillGetsThrough(RpcServer server, ClientTls tls) {
        RpcClient good = fixture.client(tls);
        assertThat(TlsFixture.greeter(good, server.address()).greet("good")).isEqualTo("hello good");
        assertThat(fixture.invocations).hasValue(1);
    }

    private List<String> warningsAbout(String kind) {
        return warnings.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("(" + kind + ")")).toList();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void plaintextConsumerToATlsPortIsToldToConfigureTls(TlsProvider provider) {
        TlsFixture.assumeAvailable(provider);
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().server(), provider).build());

        TlsHandshakeException e = failure(server, fixture.client(null), Reason.PROVIDER_REQUIRES_TLS);

        assertThat(e.getMessage()).contains("requires TLS").contains("configure TLS");
        await().until(() -> warningsAbout("plaintext consumer on a TLS port").size() == 1);
        aGoodConsumerStillGetsThrough(server, TlsFixture.clientTls(certs(), provider).build());
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void tlsConsumerToAPlaintextPortIsToldTheProviderHasNoTls(TlsProvider provider) {
        TlsFixture.assumeAvailable(provider);
        RpcServer server = fixture.server(null);

        TlsHandshakeException e = failure(server, fixture.client(TlsFixture.clientTls(certs(), provider).build()),
                Reason.PROVIDER_WITHOUT_TLS);

        assertThat(e.getMessage()).contains("does not use TLS");
        await().until(() -> warningsAbout("TLS consumer on a plaintext port").size() == 1);
        aGoodConsumerStillGetsThrough(server, null);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aCertificateFromAnUnknownCaIsUntrusted(TlsProvider provider) {
        TlsFixture.assumeAvailable(provider);
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().otherCaServer(), provider).build());

        failure(server, fixture.client(TlsFixture.clientTls(certs(), provider).build()), Reason.UNTRUSTED_CERTIFICATE);

        aGoodConsumerStillGetsThrough(server, ClientTls.builder().trustManager(certs().otherCa().certificatePath())
                .provider(provider).build());
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void anExpiredCertificateIsReportedAsExpired(TlsProvider provider) {
        TlsFixture.assumeAvailable(provider);
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().expiredServer(), provider).build());

        TlsHandshakeException e = failure(server, fixture.client(TlsFixture.clientTls(certs(), provider).build()),
                Reason.EXPIRED_CERTIFICATE);

        assertThat(e.getMessage()).contains("expired");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aMissingClientCertificateIsReportedWhenTheProviderNeedsOne(TlsProvider provider) {
        TlsFixture.assumeAvailable(provider);
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().server(), provider)
                .trustManager(certs().ca().certificatePath()).clientAuth(ClientAuth.NEED).build());

        TlsHandshakeException e = failure(server, fixture.client(TlsFixture.clientTls(certs(), provider).build()),
                Reason.CLIENT_CERTIFICATE_REQUIRED);

        assertThat(e.getMessage()).contains("client certificate");
        await().until(() -> warningsAbout("no client certificate").size() == 1);
        aGoodConsumerStillGetsThrough(server, TlsFixture.clientTls(certs(), provider)
                .keyManager(certs().client().certificatePath(), certs().client().keyPath()).build());
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aClientCertificateFromAnUnknownCaIsRejected(TlsProvider provider) {
        TlsFixture.assumeAvailable(provider);
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().server(), provider)
                .trustManager(certs().ca().certificatePath()).clientAuth(ClientAuth.NEED).build());

        failure(server, fixture.client(TlsFixture.clientTls(certs(), provider)
                .keyManager(certs().otherCaClient().certificatePath(), certs().otherCaClient().keyPath()).build()),
                Reason.CLIENT_CERTIFICATE_REJECTED);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aCertificateForAnotherHostIsAMismatch(TlsProvider provider) {
        TlsFixture.assumeAvailable(provider);
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().otherHostServer(), provider).build());

        TlsHandshakeException e = failure(server, fixture.client(TlsFixture.clientTls(certs(), provider).build()),
                Reason.HOST_NAME_MISMATCH);

        assertThat(e.getMessage()).contains("host");
        // Switched off explicitly, the same certificate is accepted.
        aGoodConsumerStillGetsThrough(server, TlsFixture.clientTls(certs(), provider).hostnameVerification(false)
                .build());
    }

    @Test
    void theProviderWarnsOncePerKindAndConsumerHost() {
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().server(), TlsProvider.AUTO)
                .trustManager(certs().ca().certificatePath()).clientAuth(ClientAuth.NEED).build());

        for (int i = 0; i < 3; i++) {
            // A new client each time: a new connection and a new handshake.
            failure(server, fixture.client(TlsFixture.clientTls(certs(), TlsProvider.AUTO).build()),
                    Reason.CLIENT_CERTIFICATE_REQUIRED);
        }

        await().until(() -> !warningsAbout("no client certificate").isEmpty());
        assertThat(warningsAbout("no client certificate")).hasSize(1);
        assertThat(warningsAbout("no client certificate").get(0)).contains("127.0.0.1").contains("nothing was invoked");
    }

    @Test
    void callsDuringTheBackoffGetTheSameReason() {
        RpcServer server = fixture.server(TlsFixture.serverTls(certs().otherCaServer(), TlsProvider.AUTO).build());
        RpcClient client = fixture.client(TlsFixture.clientTls(certs(), TlsProvider.AUTO).build());
        Greeter greeter = client.reference(ReferenceConfig.builder(Greeter.class)
                .address(TlsFixture.target(server.address())).retries(0).build());

        for (int i = 0; i < 3; i++) {
            TlsHandshakeException e = catchThrowableOfType(TlsHandshakeException.class, () -> greeter.greet("x"));
            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
        }
        assertThat(fixture.invocations).hasValue(0);
    }
}
