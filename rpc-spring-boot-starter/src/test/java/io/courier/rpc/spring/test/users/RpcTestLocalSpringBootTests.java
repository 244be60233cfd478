package io.courier.rpc.spring.test.users;

import io.courier.rpc.RpcServer;
import io.courier.rpc.config.Transport;
import io.courier.rpc.spring.test.RpcFaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole application ({@link SpringBootTest}, provider and consumer in one context) on
 * {@code courier.rpc.*.transport=local}: calls work and the server's port stays free for TCP.
 */
@SpringBootTest(classes = UsersApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"courier.rpc.server.transport=local", "courier.rpc.consumer.transport=local"})
@Timeout(60)
class RpcTestLocalSpringBootTests {

    /** A port that was free for TCP just now; the local server takes it as its synthetic port. */
    static final int PORT = freeTcpPort();

    @DynamicPropertySource
    static void port(DynamicPropertyRegistry registry) {
        registry.add("courier.rpc.server.port", () -> PORT);
        registry.add("courier.rpc.registry.address", () -> "direct://127.0.0.1:" + PORT);
    }

    @Autowired
    UserClient client;

    @Autowired
    RpcServer server;

    @Autowired
    ApplicationContext context;

    @Test
    void callsTravelInTheJvmAndNoTcpPortIsBound() throws IOException {
        assertThat(client.users.get(1)).isEqualTo(new User(1, "ada"));
        assertThat(server.options().transport()).isEqualTo(Transport.LOCAL);
        assertThat(server.address().getPort()).isEqualTo(PORT);

        // Nothing of the running server holds the port: a TCP listener can take it, on every interface.
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(PORT));
            assertThat(socket.getLocalPort()).isEqualTo(PORT);
        }
    }

    @Test
    void anApplicationGetsNoFaultsOutsideTheSlice() {
        assertThat(context.getBeanNamesForType(RpcFaults.class)).isEmpty();
        assertThat(context.getBeanNamesForType(ReportJob.class)).hasSize(1);
    }

    private static int freeTcpPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
