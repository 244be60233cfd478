package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.RpcErrorCode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Closing a provider application stops its server first: no new connections or calls, in-flight
 * calls finish within the shutdown grace, and only then are the service beans destroyed.
 */
class GracefulShutdownTests {

    @Test
    void inFlightCallsFinishBeforeTheContextCloses() throws Exception {
        ConfigurableApplicationContext provider = new SpringApplicationBuilder(TestApplications.Provider.class)
                .web(WebApplicationType.NONE)
                .properties("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0",
                        "courier.rpc.server.shutdown-grace=20s", "spring.main.banner-mode=off")
                .run();
        RpcServer server = provider.getBean(RpcServer.class);
        Echo echo = provider.getBean(Echo.class);
        echo.server = server;
        int port = server.address().getPort();

        try (RpcClient client = RpcClient.builder().build()) {
            EchoService remote = client.reference(ReferenceConfig.builder(EchoService.class)
                    .address("127.0.0.1:" + port).timeout(Duration.ofSeconds(30)).retries(0).build());
            assertThat(remote.echo("warm-up")).isEqualTo("echo:warm-up");

            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> remote.hold("in-flight"));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlightCount() == 1);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(provider::close);
            await().atMost(Duration.ofSeconds(10)).until(() -> !server.isRunning());

            // Draining: no new connection, no new call, but the context waits for the held call.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.getPort();
                }
            }).isInstanceOf(ConnectException.class));
            assertThatThrownBy(() -> remote.echo("late")).isInstanceOfSatisfying(RpcException.class,
                    e -> assertThat(e.code()).isEqualTo(RpcErrorCode.SHUTTING_DOWN));
            assertThat(closing).isNotDone();
            assertThat(held).isNotDone();
            assertThat(echo.serverRunningAtDestroy).isNull();

            echo.release.countDown();
            assertThat(held).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("held:in-flight");
            assertThat(closing).succeedsWithin(Duration.ofSeconds(20));
            assertThat(echo.serverRunningAtDestroy).isFalse();
        } finally {
            provider.close();
        }
    }
}
