package io.courier.rpc.e2e;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.config.Transport;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The transport is a typed option of each side, and any pairing of epoll and NIO interoperates. */
@Timeout(30)
class TransportChoiceTest {

    private final ServerClientFixture fixture = new ServerClientFixture();

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @ParameterizedTest(name = "server {0}, client {1}")
    @CsvSource({"NIO, NIO", "NIO, AUTO", "AUTO, NIO", "EPOLL, EPOLL"})
    void callsWorkOverEitherTransport(Transport serverTransport, Transport clientTransport) {
        assumeTrue(Epoll.isAvailable() || (serverTransport != Transport.EPOLL && clientTransport != Transport.EPOLL),
                "native epoll does not load here");
        RpcServer server = fixture.server(new EchoServiceImpl(),
                ServerClientFixture.loopback().transport(serverTransport).build());
        RpcClient client = fixture.client(ClientOptions.builder().requestTimeout(Duration.ofSeconds(5))
                .transport(clientTransport).build());

        EchoService echo = client.reference(ServerClientFixture.reference(server.address()).build());

        assertThat(echo.echo("over " + serverTransport + "/" + clientTransport))
                .isEqualTo("over " + serverTransport + "/" + clientTransport);
        assertThat(server.options().transport()).isEqualTo(serverTransport);
    }

    @org.junit.jupiter.api.Test
    void epollIsRefusedWhereItDoesNotLoadAndNullAlways() {
        assertThatThrownBy(() -> ServerOptions.builder().transport(null)).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("transport");
        if (!Epoll.isAvailable()) {
            assertThatThrownBy(() -> ClientOptions.builder().transport(Transport.EPOLL))
                    .isInstanceOf(InvalidOptionException.class).hasMessageContaining("not available");
        }
        assertThat(Transport.NIO.usesEpoll()).isFalse();
        assertThat(Transport.AUTO.usesEpoll()).isEqualTo(Epoll.isAvailable());
    }
}
