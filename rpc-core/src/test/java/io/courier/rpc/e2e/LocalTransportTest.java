package io.courier.rpc.e2e;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.config.Transport;
import io.courier.rpc.test.InMemoryRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link Transport#LOCAL}: calls in one JVM over Netty's local channels, with no TCP port bound. */
@Timeout(30)
class LocalTransportTest {

    private final ServerClientFixture fixture = new ServerClientFixture();

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private static ClientOptions localClient() {
        return ClientOptions.builder().requestTimeout(Duration.ofSeconds(5)).transport(Transport.LOCAL).build();
    }

    @Test
    void callsTravelEndToEndOverLocalChannels() {
        RpcServer server = fixture.server(new EchoServiceImpl(),
                ServerClientFixture.loopback().transport(Transport.LOCAL).build());
        RpcClient client = fixture.client(localClient());

        EchoService echo = client.reference(ServerClientFixture.reference(server.address()).build());

        assertThat(echo.echo("in-jvm")).isEqualTo("in-jvm");
        assertThat(echo.roundTrip(new EchoService.Item(7, "seven", List.of("a", "b"))))
                .isEqualTo(new EchoService.Item(7, "seven", List.of("a", "b")));
        assertThat(echo.echoAsync("async").join()).isEqualTo("async:async");
        assertThat(echo.payload(1024 * 1024)).hasSize(1024 * 1024);
        assertThatThrownBy(() -> echo.failRuntime("boom")).hasMessageContaining("boom");
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(server.address().getPort()).isPositive();
    }

    @Test
    void aServerOnAllInterfacesReportsLoopbackAndIsFoundThroughTheRegistry() {
        InMemoryRegistry registry = new InMemoryRegistry();
        RpcServer server = fixture.track(RpcServer.builder()
                .options(ServerOptions.builder().host("0.0.0.0").port(0).transport(Transport.LOCAL)
                        .shutdownGrace(Duration.ofSeconds(1)).build())
                .service(EchoService.class, new EchoServiceImpl()).registry(registry).build().start());
        RpcClient client = fixture.track(RpcClient.builder().options(localClient()).registry(registry).build());

        EchoService echo = client.reference(io.courier.rpc.config.ReferenceConfig.builder(EchoService.class).build());

        assertThat(echo.add(2, 3)).isEqualTo(5);
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void aLocalServerBindsNoTcpPort() throws IOException {
        int port = freeTcpPort();
        RpcServer server = fixture.server(new EchoServiceImpl(),
                ServerClientFixture.loopback().port(port).transport(Transport.LOCAL).build());
        assertThat(server.address().getPort()).isEqualTo(port);

        // The port is still free for TCP: nothing of the server holds it.
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
        // And a client on a real socket cannot reach the server at its reported address.
        RpcClient tcpClient = fixture.client(ClientOptions.builder().requestTimeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(2)).transport(Transport.NIO).build());
        EchoService overTcp = tcpClient.reference(ServerClientFixture.reference(server.address()).retries(0).build());
        RpcException refused = catchThrowableOfType(RpcException.class, () -> overTcp.echo("tcp"));
        assertThat(refused.code()).isEqualTo(RpcErrorCode.CONNECT_FAILED);
        // While a local client reaches it by the same address.
        RpcClient local = fixture.client(localClient());
        assertThat(local.reference(ServerClientFixture.reference(server.address()).build()).echo("local"))
                .isEqualTo("local");
    }

    @Test
    void aLocalClientFindsNothingWhereNoLocalServerIs() {
        RpcServer tcpServer = fixture.server(new EchoServiceImpl());
        RpcClient client = fixture.client(ClientOptions.builder().requestTimeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(2)).transport(Transport.LOCAL).build());
        EchoService echo = client.reference(ServerClientFixture.reference(tcpServer.address()).retries(0).build());

        RpcException refused = catchThrowableOfType(RpcException.class, () -> echo.echo("x"));
        assertThat(refused.code()).isEqualTo(RpcErrorCode.CONNECT_FAILED);
    }

    @Test
    void aProviderStartedAfterItsConsumerTriedIsReachedByTheNextCall() throws IOException {
        int port = freeTcpPort();
        RpcClient client = fixture.client(localClient());
        EchoService echo = client.reference(ServerClientFixture.reference(new InetSocketAddress("127.0.0.1", port))
                .retries(0).build());
        RpcException early = catchThrowableOfType(RpcException.class, () -> echo.echo("early"));
        assertThat(early.code()).isEqualTo(RpcErrorCode.CONNECT_FAILED);

        fixture.server(new EchoServiceImpl(), ServerClientFixture.loopback().port(port).transport(Transport.LOCAL).build());

        // No reconnect backoff to wait out in the JVM: the very next call connects.
        assertThat(echo.echo("now")).isEqualTo("now");
    }

    @Test
    void aTakenLocalPortIsRefusedLikeATakenTcpPort() {
        RpcServer first = fixture.server(new EchoServiceImpl(),
                ServerClientFixture.loopback().transport(Transport.LOCAL).build());
        int port = first.address().getPort();

        assertThatThrownBy(() -> fixture.server(new EchoServiceImpl(),
                ServerClientFixture.loopback().port(port).transport(Transport.LOCAL).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Cannot bind");
        RpcServer second = fixture.server(new EchoServiceImpl(),
                ServerClientFixture.loopback().transport(Transport.LOCAL).build());
        assertThat(second.address().getPort()).isNotEqualTo(port);

        // Closing frees the local address, as closing frees a TCP port.
        first.close();
        RpcServer again = fixture.server(new EchoServiceImpl(),
                ServerClientFixture.loopback().port(port).transport(Transport.LOCAL).build());
        assertThat(again.address().getPort()).isEqualTo(port);
    }

    @Test
    void optionsAcceptLocalAndSayWhatIsExpected() {
        assertThat(ServerOptions.builder().transport(Transport.LOCAL).build().transport()).isEqualTo(Transport.LOCAL);
        assertThat(ClientOptions.builder().transport(Transport.LOCAL).build().transport()).isEqualTo(Transport.LOCAL);
        assertThat(Transport.LOCAL.usesEpoll()).isFalse();
        InvalidOptionException none = catchThrowableOfType(InvalidOptionException.class,
                () -> ClientOptions.builder().transport(null));
        assertThat(none.option()).isEqualTo("transport");
        assertThat(none.expected()).contains("LOCAL");
        assertThat(Transport.valueOf("LOCAL")).isSameAs(Transport.LOCAL);
    }

    @Test
    void localConnectionsAreCountedLikeTcpOnes() {
        RpcServer server = fixture.server(new EchoServiceImpl(),
                ServerClientFixture.loopback().transport(Transport.LOCAL).build());
        RpcClient client = fixture.client(localClient());
        client.reference(ServerClientFixture.reference(server.address()).build()).echo("count");

        Map<InetSocketAddress, Integer> counts = client.connectionCounts();
        assertThat(counts).hasSize(1);
        assertThat(counts.keySet().iterator().next().getPort()).isEqualTo(server.address().getPort());
        assertThat(counts.values()).containsExactly(1);
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
