package io.courier.rpc.tls;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.test.TestCertificates;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider whose contexts come from a supplier serves a reloaded certificate to new
 * connections, while a connection opened before the reload keeps working.
 */
@Timeout(60)
class TlsReloadTest {

    @TempDir
    Path dir;
    private final TlsFixture fixture = new TlsFixture();

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    /** A consumer whose trust manager records the serial of each server certificate it is shown. */
    private RpcClient recordingClient(TestCertificates certs, TlsFixture.RecordingTrustManager trust) throws SSLException {
        SslContext context = SslContextBuilder.forClient().trustManager(trust).build();
        return fixture.client(ClientTls.builder().sslContext(() -> context).build());
    }

    private static TlsFixture.RecordingTrustManager recorder(TestCertificates certs) {
        return new TlsFixture.RecordingTrustManager(
                (X509TrustManager) certs.ca().trustManagerFactory().getTrustManagers()[0]);
    }

    @Test
    void aNewConnectionGetsTheNewCertificateWhileAnOldOneKeepsCalling() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued first = certs.server();
        TestCertificates.Issued second = certs.newServer();
        AtomicReference<SslContext> current = new AtomicReference<>(
                TlsFixture.serverTls(first, TlsProvider.AUTO).build().context());
        RpcServer server = fixture.server(ServerTls.builder().sslContext(current::get).build());

        TlsFixture.RecordingTrustManager oldTrust = recorder(certs);
        Greeter old = TlsFixture.greeter(recordingClient(certs, oldTrust), server.address());
        assertThat(old.greet("before")).isEqualTo("hello before");
        assertThat(oldTrust.serials).containsExactly(first.serial());

        // The reload: what a bundle update handler would do.
        current.set(TlsFixture.serverTls(second, TlsProvider.AUTO).build().context());

        TlsFixture.RecordingTrustManager newTrust = recorder(certs);
        Greeter fresh = TlsFixture.greeter(recordingClient(certs, newTrust), server.address());
        assertThat(fresh.greet("after")).isEqualTo("hello after");
        assertThat(newTrust.serials).containsExactly(second.serial());

        assertThat(old.greet("still")).isEqualTo("hello still");
        assertThat(oldTrust.serials).as("no new handshake on the old connection").containsExactly(first.serial());
        assertThat(server.connectionCount()).isEqualTo(2);
        assertThat(fixture.invocations).hasValue(3);
    }
}
