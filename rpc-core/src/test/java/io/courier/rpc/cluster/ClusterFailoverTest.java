package io.courier.rpc.cluster;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.RpcErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

@Timeout(90)
class ClusterFailoverTest {

    private static final Logger log = LoggerFactory.getLogger(ClusterFailoverTest.class);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Inventory[] providers = {new Inventory("p0"), new Inventory("p1"), new Inventory("p2")};
    private final RpcServer[] servers = new RpcServer[3];

    static final class Inventory implements InventoryService {

        final String name;
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch never = new CountDownLatch(1);

        Inventory(String name) {
            this.name = name;
        }

        @Override
        public int stock(String sku) {
            calls.incrementAndGet();
            return sku.length();
        }

        @Override
        public String reserve(String sku, long workMillis) {
            calls.incrementAndGet();
            try {
                never.await(workMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return name;
        }

        @Override
        public String whoami() {
            calls.incrementAndGet();
            return name;
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        for (RpcServer s : servers) {
            if (s != null) {
                s.close();
            }
        }
    }

    private RpcServer start(int index, int port) {
        servers[index] = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(port).shutdownGrace(Duration.ZERO).build())
                .service(InventoryService.class, providers[index]).build().start();
        return servers[index];
    }

    private InventoryService consumer(ReferenceConfig.Builder<InventoryService> config) {
        RpcClient client = RpcClient.builder().options(ClientOptions.builder()
                .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500)).build()).build();
        closeables.add(client);
        for (RpcServer s : servers) {
            config.address("127.0.0.1:" + s.address().getPort());
        }
        return client.reference(config.build());
    }

    @Test
    void idempotentCallsSurviveAProviderDyingUnderLoad() throws Exception {
        for (int i = 0; i < 3; i++) {
            start(i, 0);
        }
        int port1 = servers[1].address().getPort();
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class)
                .timeout(Duration.ofSeconds(5)).retries(2));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        for (int t = 0; t < 16; t++) {
            callers.execute(() -> {
                while (running.get()) {
                    try {
                        assertThat(inventory.stock("sku-12")).isEqualTo(6);
                        ok.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            });
        }
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> ok.get() >= 3000);
            servers[1].close();
            long atKill = ok.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> ok.get() >= atKill + 3000);
            int p1Before = providers[1].calls.get();
            start(1, port1);
            await().atMost(Duration.ofSeconds(20)).until(() -> providers[1].calls.get() >= p1Before + 500);
        } finally {
            running.set(false);
            callers.shutdown();
            assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        log.info("Failover run: {} calls ok, {} failed; per provider {} / {} / {}", ok.get(), failures.size(),
                providers[0].calls.get(), providers[1].calls.get(), providers[2].calls.get());
        assertThat(failures).isEmpty();
        assertThat(providers[0].calls.get()).isPositive();
        assertThat(providers[2].calls.get()).isPositive();
    }

    @Test
    void timedOutNonIdempotentCallIsNotRetried() {
        for (int i = 0; i < 3; i++) {
            start(i, 0);
        }
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class)
                .timeout(Duration.ofMillis(300)).retries(2));
        RpcException e = catchThrowableOfType(RpcException.class, () -> inventory.reserve("sku", 2000));
        assertThat(e.code()).isEqualTo(RpcErrorCode.TIMEOUT);
        assertThat(e.isRetrySafe()).isFalse();
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(providers[0].calls.get() + providers[1].calls.get() + providers[2].calls.get()).isEqualTo(1));
        for (Inventory p : providers) {
            p.never.countDown();
        }
    }

    @Test
    void failFastReportsTheFirstFailure() {
        for (int i = 0; i < 3; i++) {
            start(i, 0);
        }
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class)
                .cluster(ClusterMode.FAILFAST).loadBalancer(LoadBalancers.ROUND_ROBIN));
        servers[0].close();
        servers[1].close();
        servers[2].close();
        RpcException e = catchThrowableOfType(RpcException.class, inventory::whoami);
        assertThat(e).as("fail-fast must surface the failure").isNotNull();
        assertThat(e.code()).isIn(RpcErrorCode.CONNECT_FAILED, RpcErrorCode.OUTCOME_UNKNOWN, RpcErrorCode.NOT_SENT,
                RpcErrorCode.SHUTTING_DOWN, RpcErrorCode.TIMEOUT);
    }

    @Test
    void failSafeReturnsADefaultValue() {
        for (int i = 0; i < 3; i++) {
            start(i, 0);
        }
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class)
                .cluster(ClusterMode.FAILSAFE));
        for (RpcServer s : servers) {
            s.close();
        }
        assertThat(inventory.stock("x")).isZero();
        assertThat(inventory.whoami()).isNull();
    }

    @Test
    void roundRobinSpreadsCallsEvenly() {
        for (int i = 0; i < 3; i++) {
            start(i, 0);
        }
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class));
        for (int i = 0; i < 300; i++) {
            inventory.whoami();
        }
        assertThat(providers).allSatisfy(p -> assertThat(p.calls.get()).isEqualTo(100));
    }
}
