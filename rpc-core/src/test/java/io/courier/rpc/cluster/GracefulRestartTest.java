package io.courier.rpc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reliability row 11: with two providers under load (32 callers of a method that is not
 * idempotent), stopping one loses no call. The provider tells its connections it is going away
 * before it stops accepting; consumers send new calls to the other provider at once, calls in
 * flight finish, and a call refused with SHUTTING_DOWN meanwhile goes elsewhere without spending
 * a retry. Every call runs exactly once.
 */
@Timeout(60)
class GracefulRestartTest {

    private static final Logger log = LoggerFactory.getLogger(GracefulRestartTest.class);
    private static final int CALLERS = 32;

    /** Counts the reservations it made, and names itself. */
    private static final class CountingInventory implements InventoryService {

        final String name;
        final AtomicLong reserved = new AtomicLong();

        CountingInventory(String name) {
            this.name = name;
        }

        @Override
        public int stock(String sku) {
            return 1;
        }

        @Override
        public String reserve(String sku, long workMillis) {
            reserved.incrementAndGet();
            return name;
        }

        @Override
        public String whoami() {
            return name;
        }
    }

    private static RpcServer start(InventoryService impl) {
        return RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0)
                        .shutdownGrace(Duration.ofSeconds(5)).build())
                .service(InventoryService.class, impl).build().start();
    }

    @Test
    void stoppingOneOfTwoProvidersUnderLoadLosesNoCall() throws Exception {
        CountingInventory a = new CountingInventory("a");
        CountingInventory b = new CountingInventory("b");
        RpcServer serverA = start(a);
        RpcServer serverB = start(b);
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try (RpcClient client = RpcClient.builder().build()) {
            InventoryService inventory = client.reference(ReferenceConfig.builder(InventoryService.class)
                    .address("127.0.0.1:" + serverA.address().getPort())
                    .address("127.0.0.1:" + serverB.address().getPort())
                    .timeout(Duration.ofSeconds(5)).build());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong succeeded = new AtomicLong();
            AtomicLong afterStop = new AtomicLong();
            AtomicBoolean aStopped = new AtomicBoolean();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            CountDownLatch warm = new CountDownLatch(CALLERS * 20);
            AtomicInteger done = new AtomicInteger();
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                running.add(callers.submit(() -> {
                    while (!stop.get()) {
                        try {
                            inventory.reserve("sku", 0);
                            succeeded.incrementAndGet();
                            if (aStopped.get()) {
                                afterStop.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failures.merge(e.toString(), 1, Integer::sum);
                        }
                        warm.countDown();
                    }
                    done.incrementAndGet();
                }));
            }
            assertThat(warm.await(20, TimeUnit.SECONDS)).as("load running on both providers").isTrue();
            long servedByABeforeStop = a.reserved.get();
            long start = System.nanoTime();
            serverA.close();
            long stopMillis = (System.nanoTime() - start) / 1_000_000;
            aStopped.set(true);
            // Keep the load on until provider b alone has served plenty more calls.
            long bAtStop = b.reserved.get();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> b.reserved.get() - bAtStop >= CALLERS * 50L);
            stop.set(true);
            for (var f : running) {
                f.get(10, TimeUnit.SECONDS);
            }
            log.info("Graceful restart: {} calls succeeded ({} after a stopped), {} failed {}; a served {} "
                    + "({} before its stop began), b served {}; a's close took {} ms",
                    succeeded.get(), afterStop.get(), failures.values().stream().mapToInt(Integer::intValue).sum(),
                    failures, a.reserved.get(), servedByABeforeStop, b.reserved.get(), stopMillis);
            assertThat(failures).as("failed calls").isEmpty();
            assertThat(servedByABeforeStop).as("a served calls before it stopped").isPositive();
            assertThat(a.reserved.get() + b.reserved.get()).as("every call ran exactly once")
                    .isEqualTo(succeeded.get());
        } finally {
            callers.shutdownNow();
            serverB.close();
            serverA.close();
        }
    }
}
