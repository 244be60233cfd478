package io.courier.rpc;

import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The numbers a server exposes for gauges follow its load: open connections, calls in flight and
 * calls waiting for a worker thread, with the server's pool and with an executor of the
 * application's.
 */
@Timeout(30)
class RpcServerLoadTest {

    /** Blocks until the test releases it. */
    public interface HeldService {

        /** Returns once released. */
        String hold();
    }

    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService callers = Executors.newFixedThreadPool(3);
    private RpcServer server;
    private RpcClient client;

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        callers.shutdown();
        assertThat(callers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private HeldService start(RpcServer.Builder builder) {
        server = builder.service(HeldService.class, () -> {
            try {
                return release.await(20, TimeUnit.SECONDS) ? "released" : "timed out";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }).build().start();
        client = RpcClient.builder().build();
        return client.reference(ReferenceConfig.builder(HeldService.class)
                .address("127.0.0.1:" + server.address().getPort()).timeout(Duration.ofSeconds(20)).retries(0).build());
    }

    @Test
    void countsConnectionsCallsInFlightAndCallsWaitingForTheServersPool() {
        HeldService held = start(RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).workerThreads(1).queueSize(4).build()));
        // No connection count of zero here: the reference may already be connecting.
        assertThat(server.inFlightCount()).isZero();
        assertThat(server.queuedCount()).isZero();

        CompletableFuture<String> first = CompletableFuture.supplyAsync(held::hold, callers);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlightCount() == 1);
        CompletableFuture<String> second = CompletableFuture.supplyAsync(held::hold, callers);
        CompletableFuture<String> third = CompletableFuture.supplyAsync(held::hold, callers);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(server.inFlightCount()).isEqualTo(3);
            assertThat(server.queuedCount()).isEqualTo(2);
        });
        assertThat(server.connectionCount()).isPositive();
        assertThat(client.connectionCounts().values().stream().mapToInt(Integer::intValue).sum()).isPositive();

        release.countDown();
        assertThat(CompletableFuture.allOf(first, second, third).thenApply(v -> first.join() + second.join()
                + third.join()).orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("released".repeat(3));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(server.inFlightCount()).isZero();
            assertThat(server.queuedCount()).isZero();
        });
    }

    @Test
    void countsCallsWaitingForTheApplicationsExecutor() {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            HeldService held = start(RpcServer.builder()
                    .options(ServerOptions.builder().host("127.0.0.1").port(0).build()).executor(single));
            CompletableFuture<String> first = CompletableFuture.supplyAsync(held::hold, callers);
            CompletableFuture<String> second = CompletableFuture.supplyAsync(held::hold, callers);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(server.inFlightCount()).isEqualTo(2);
                assertThat(server.queuedCount()).isEqualTo(1);
            });
            release.countDown();
            assertThat(first.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("released");
            assertThat(second.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("released");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.queuedCount() == 0);
        } finally {
            single.shutdownNow();
        }
    }
}
