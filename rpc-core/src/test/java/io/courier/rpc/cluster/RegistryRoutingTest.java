package io.courier.rpc.cluster;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.test.InMemoryRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class RegistryRoutingTest {

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private RpcServer provider(String name, String... tags) {
        RpcServer server = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(InventoryService.class, new ClusterFailoverTest.Inventory(name))
                .registry(registry).tags(tags).build().start();
        closeables.add(server);
        return server;
    }

    private InventoryService consumer(ReferenceConfig.Builder<InventoryService> config) {
        RpcClient client = RpcClient.builder().registry(registry).build();
        closeables.add(client);
        return client.reference(config.build());
    }

    private static Map<String, Integer> whoCalls(InventoryService inventory, int calls) {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < calls; i++) {
            seen.merge(inventory.whoami(), 1, Integer::sum);
        }
        return seen;
    }

    @Test
    void consumersFollowProvidersThroughTheRegistry() {
        RpcServer a = provider("a");
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class).check(true));
        assertThat(whoCalls(inventory, 10)).containsOnlyKeys("a");

        provider("b");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(whoCalls(inventory, 10)).containsOnlyKeys("a", "b"));

        // A graceful shutdown withdraws the provider before it stops serving: no call fails.
        a.close();
        assertThat(whoCalls(inventory, 10)).containsOnlyKeys("b");
    }

    @Test
    void noProviderIsAClearError() {
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class));
        RpcException e = catchThrowableOfType(RpcException.class, inventory::whoami);
        assertThat(e.code()).isEqualTo(RpcErrorCode.NO_PROVIDER);
        assertThat(e.getMessage()).contains(InventoryService.class.getName());
    }

    @Test
    void grayReleaseRoutesByTag() {
        provider("stable-1");
        provider("stable-2");
        provider("canary", "canary");
        InventoryService plain = consumer(ReferenceConfig.builder(InventoryService.class).check(true));
        InventoryService canary = consumer(ReferenceConfig.builder(InventoryService.class).tag("canary").check(true));
        InventoryService blue = consumer(ReferenceConfig.builder(InventoryService.class).tag("blue").check(true));
        InventoryService strictBlue = consumer(ReferenceConfig.builder(InventoryService.class).tag("blue")
                .fallbackToUntagged(false).check(true));

        assertThat(whoCalls(plain, 20)).containsOnlyKeys("stable-1", "stable-2");
        assertThat(whoCalls(canary, 20)).containsOnlyKeys("canary");
        assertThat(whoCalls(blue, 20)).containsOnlyKeys("stable-1", "stable-2");
        assertThat(catchThrowableOfType(RpcException.class, strictBlue::whoami).code())
                .isEqualTo(RpcErrorCode.NO_PROVIDER);
        try (RpcContext.Scope ignored = RpcContext.withAttachment("courier.tag", "canary")) {
            assertThat(whoCalls(plain, 10)).containsOnlyKeys("canary");
        }
    }

    @Test
    void aCallInFlightToAWithdrawnProviderIsStillAnswered() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        RpcServer a = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(InventoryService.class, new InventoryService() {
                    @Override
                    public int stock(String sku) {
                        return 1;
                    }

                    @Override
                    public String whoami() {
                        return "a";
                    }

                    @Override
                    public String reserve(String sku, long workMillis) {
                        entered.countDown();
                        try {
                            release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return "a";
                    }
                })
                .registry(registry).build().start();
        closeables.add(a);
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class).check(true)
                .timeout(Duration.ofSeconds(10)));
        java.util.concurrent.CompletableFuture<String> call =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> inventory.reserve("sku", 0));
        assertThat(entered.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("call reached provider a").isTrue();

        // The consumer drops a from its routing table at once (the in-memory registry is synchronous),
        // while a still runs the call it was sent.
        a.withdraw();
        release.countDown();

        assertThat(call.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("a");
    }
}
