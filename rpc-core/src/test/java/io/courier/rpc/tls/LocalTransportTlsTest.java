package io.courier.rpc.tls;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.config.Transport;
import io.courier.rpc.test.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** TLS over {@link Transport#LOCAL} runs the same handlers as over TCP, so it just works. */
@Timeout(60)
class LocalTransportTlsTest {

    @TempDir
    Path dir;

    @Test
    void callsTravelOverTlsOnLocalChannels() {
        TestCertificates certs = TestCertificates.create(dir);
        Greeter greeter = name -> "hello " + name;
        try (RpcServer server = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).transport(Transport.LOCAL)
                        .shutdownGrace(Duration.ofSeconds(1))
                        .tls(TlsFixture.serverTls(certs.server(), TlsProvider.JDK).build()).build())
                .service(Greeter.class, greeter).build().start();
             RpcClient client = RpcClient.builder().options(ClientOptions.builder().transport(Transport.LOCAL)
                     .requestTimeout(Duration.ofSeconds(5))
                     .tls(TlsFixture.clientTls(certs, TlsProvider.JDK).build()).build()).build()) {
            Greeter remote = client.reference(ReferenceConfig.builder(Greeter.class)
                    .address(TlsFixture.target(server.address())).build());

            assertThat(remote.greet("local tls")).isEqualTo("hello local tls");
        }
    }
}
