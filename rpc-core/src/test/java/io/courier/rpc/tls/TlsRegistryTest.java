package io.courier.rpc.tls;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.test.InMemoryRegistry;
import io.courier.rpc.test.TestCertificates;
import io.courier.rpc.tls.TlsHandshakeException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Providers with TLS announce it in the registry; a plaintext reference to them fails fast, at
 * creation when it already sees only such providers, and on each call otherwise, without a
 * connection or an invocation.
 */
@Timeout(60)
class TlsRegistryTest {

    @TempDir
    Path dir;
    private final TlsFixture fixture = new TlsFixture();
    private final InMemoryRegistry registry = new InMemoryRegistry();

    @AfterEach
    void close() throws Exception {
        fixture.close();
        registry.close();
    }

    private static ReferenceConfig<Greeter> reference() {
        return ReferenceConfig.builder(Greeter.class).build();
    }

    @Test
    void aProviderWithTlsAnnouncesIt() {
        TestCertificates certs = TestCertificates.create(dir);
        fixture.server(TlsFixture.serverTls(certs.server(), TlsProvider.AUTO).build(), registry);

        List<ProviderInstance> providers = registry.providers(ServiceKey.of(Greeter.class, "", ""));

        assertThat(providers).singleElement().satisfies(p -> {
            assertThat(p.metadata()).containsEntry(ProviderInstance.METADATA_TLS, "true");
            assertThat(p.requiresTls()).isTrue();
        });
    }

    @Test
    void aPlaintextProviderAnnouncesNoTls() {
        fixture.server(null, registry);

        assertThat(registry.providers(ServiceKey.of(Greeter.class, "", ""))).singleElement()
                .satisfies(p -> assertThat(p.requiresTls()).isFalse());
    }

    @Test
    void aPlaintextReferenceFailsAtCreationWhenEveryProviderRequiresTls() {
        TestCertificates certs = TestCertificates.create(dir);
        RpcServer server = fixture.server(TlsFixture.serverTls(certs.server(), TlsProvider.AUTO).build(), registry);
        RpcClient client = fixture.client(null, registry);

        TlsHandshakeException e = catchThrowableOfType(TlsHandshakeException.class,
                () -> client.reference(reference()));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.PROVIDER_REQUIRES_TLS);
        assertThat(e.getMessage()).contains(TlsFixture.target(server.address())).contains("configure TLS")
                .contains(Greeter.class.getName());
        assertThat(client.references()).isEmpty();
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void aPlaintextReferenceMadeBeforeTheProviderAppearedFailsFastOnEachCall() {
        TestCertificates certs = TestCertificates.create(dir);
        RpcClient client = fixture.client(null, registry);
        Greeter greeter = client.reference(reference());
        RpcServer server = fixture.server(TlsFixture.serverTls(certs.server(), TlsProvider.AUTO).build(), registry);

        for (int i = 0; i < 2; i++) {
            TlsHandshakeException e = catchThrowableOfType(TlsHandshakeException.class, () -> greeter.greet("x"));
            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(Reason.PROVIDER_REQUIRES_TLS);
            assertThat(e.provider()).isEqualTo(TlsFixture.target(server.address()));
            assertThat(e.getMessage()).contains("configure TLS");
        }
        assertThat(fixture.invocations).hasValue(0);
        assertThat(server.connectionCount()).as("the provider is not even knocked on").isZero();
    }

    @Test
    void aTlsReferenceFindsTheProviderThroughTheRegistry() {
        TestCertificates certs = TestCertificates.create(dir);
        fixture.server(TlsFixture.serverTls(certs.server(), TlsProvider.AUTO).build(), registry);
        RpcClient client = fixture.client(TlsFixture.clientTls(certs, TlsProvider.AUTO).build(), registry);

        assertThat(client.reference(reference()).greet("registry")).isEqualTo("hello registry");
    }
}
