package io.courier.rpc.cluster;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.RpcClient;
import io.courier.rpc.cluster.LookupProviders.Lookup;
import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcMethod;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Hedging of idempotent methods on real servers: a slow provider costs a call the hedging delay,
 * not its latency, and the losing attempt is cancelled on its provider.
 */
@Timeout(30)
class HedgingTest {

    private static final Logger log = LoggerFactory.getLogger(HedgingTest.class);

    private final LookupProviders providers = new LookupProviders();

    /** The lookup, asynchronous, so that the caller can cancel the call. */
    interface AsyncLookup {
        @RpcMethod(idempotent = true)
        CompletableFuture<String> find(String key);
    }

    /** A service whose non-idempotent method asks to be hedged: refused. */
    interface UnsafeHedging {
        @RpcMethod(hedgeDelayMillis = 50)
        String write(String key);
    }

    @AfterEach
    void close() throws Exception {
        providers.close();
    }

    @Test
    void slowProviderCostsTheHedgingDelayAndItsAttemptIsCancelled() {
        Lookup slow = providers.lookup("slow", true);
        Lookup fast = providers.lookup("fast", false);
        LookupService lookup = providers.consumer(ReferenceConfig.builder(LookupService.class)
                .address(providers.start(slow)).address(providers.start(fast))
                .timeout(Duration.ofSeconds(10)).hedgeDelay(Duration.ofMillis(100)));
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long start = System.nanoTime();
            assertThat(lookup.find("k")).isEqualTo("fast");
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        log.info("Hedging: call times {} ms (hedge delay 100 ms, timeout 10 s); slow provider ran {}, fast {}",
                millis, slow.calls.get(), fast.calls.get());
        // Calls that went to the slow provider first waited for the hedge: about the delay, far below the timeout.
        assertThat(millis).allSatisfy(m -> assertThat(m).isLessThan(2_000L));
        assertThat(millis.stream().filter(m -> m >= 95).count()).as("calls that waited for a hedge").isPositive();
        assertThat(fast.calls.get()).as("every call answered by the fast provider, once").isEqualTo(6);
        assertThat(slow.calls.get()).as("a hedge goes elsewhere: at most one attempt per call on the slow one")
                .isBetween(1, 6);
        // The call's deadline is 10 s away, so only the consumer's CANCEL frame ends these calls now.
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(slow.cancelled.get()).isEqualTo(slow.calls.get()));
    }

    @Test
    void cancellingAHedgedCallCancelsEveryAttempt() throws Exception {
        Lookup first = providers.lookup("a", true);
        Lookup second = providers.lookup("b", true);
        List<String> addresses = new ArrayList<>();
        for (Lookup lookup : List.of(first, second)) {
            RpcServer server = RpcServer.builder()
                    .options(ServerOptions.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO).build())
                    // Blocks the provider's business thread, where its RpcContext hears the cancel.
                    .service(AsyncLookup.class, key -> CompletableFuture.completedFuture(lookup.find(key)))
                    .build().start();
            providers.track(server);
            addresses.add("127.0.0.1:" + server.address().getPort());
        }
        RpcClient client = providers.track(RpcClient.builder().build());
        AsyncLookup lookup = client.reference(ReferenceConfig.builder(AsyncLookup.class)
                .address(addresses.get(0)).address(addresses.get(1))
                .timeout(Duration.ofSeconds(10)).hedgeDelay(Duration.ofMillis(50)).build());
        CompletableFuture<String> call = lookup.find("k");
        // Both attempts running: the first, and the hedge 50 ms later on the other provider.
        await().atMost(Duration.ofSeconds(5)).until(() -> first.calls.get() + second.calls.get() == 2);
        assertThat(call.cancel(true)).isTrue();
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(first.cancelled.get()).isEqualTo(1);
            assertThat(second.cancelled.get()).isEqualTo(1);
        });
        assertThat(call).isCancelled();
    }

    @Test
    void hedgesAreSentWhileTheCommonPoolIsBusy() {
        // An application may keep the common pool's threads busy; the hedge timer does not use them.
        // (With a parallelism of 1, on 2 cores, CompletableFuture's default executor is a thread per
        // task, not the common pool, so this only bites on larger machines.)
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < java.util.concurrent.ForkJoinPool.getCommonPoolParallelism(); i++) {
            java.util.concurrent.ForkJoinPool.commonPool().execute(() -> {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            Lookup slow = providers.lookup("slow", true);
            Lookup fast = providers.lookup("fast", false);
            LookupService lookup = providers.consumer(ReferenceConfig.builder(LookupService.class)
                    .address(providers.start(slow)).address(providers.start(fast))
                    .timeout(Duration.ofSeconds(10)).hedgeDelay(Duration.ofMillis(100)));
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                assertThat(lookup.find("k")).isEqualTo("fast");
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000L);
            }
            assertThat(slow.calls.get()).as("one call went to the slow provider first").isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aFailureThatAllowsARetrySendsTheNextAttemptAtOnce() {
        // A provider without the service answers SERVICE_NOT_FOUND, which is safe to retry.
        RpcServer other = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO).build())
                .service(UnsafeHedging.class, key -> key).build().start();
        providers.track(other);
        Lookup fast = providers.lookup("fast", false);
        LookupService lookup = providers.consumer(ReferenceConfig.builder(LookupService.class)
                .address("127.0.0.1:" + other.address().getPort()).address(providers.start(fast))
                .timeout(Duration.ofSeconds(10)).hedgeDelay(Duration.ofSeconds(3)));
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long start = System.nanoTime();
            assertThat(lookup.find("k")).isEqualTo("fast");
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        log.info("Hedging after a retry-safe failure: call times {} ms (hedge delay 3 s)", millis);
        assertThat(millis).as("not the 3 s hedging delay").allSatisfy(m -> assertThat(m).isLessThan(1_500L));
        assertThat(fast.calls.get()).isEqualTo(4);
    }

    @Test
    void hedgingAMethodThatIsNotIdempotentIsRefused() {
        InvalidOptionException annotated = catchThrowableOfType(InvalidOptionException.class,
                () -> ReferenceConfig.builder(UnsafeHedging.class).address("127.0.0.1:1").build());
        assertThat(annotated.option()).isEqualTo("@RpcMethod(hedgeDelayMillis) of UnsafeHedging#write");
        assertThat(annotated.getMessage()).contains("not idempotent");
        assertThatThrownBy(() -> ReferenceConfig.builder(LookupService.class).address("127.0.0.1:1")
                .methodHedgeDelay("write", Duration.ofMillis(50)).build())
                .isInstanceOfSatisfying(InvalidOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("methodHedgeDelays.write"));
        // The reference's delay applies to its idempotent methods only.
        ReferenceConfig<LookupService> config = ReferenceConfig.builder(LookupService.class).address("127.0.0.1:1")
                .hedgeDelay(Duration.ofMillis(50)).build();
        assertThat(config.hedgeDelayMillis(method("find"))).isEqualTo(50);
        assertThat(config.hedgeDelayMillis(method("write"))).isZero();
    }

    @Test
    void nonIdempotentMethodIsNotHedgedByTheReferenceDelay() {
        Lookup slow = providers.lookup("slow", true);
        Lookup fast = providers.lookup("fast", false);
        LookupService lookup = providers.consumer(ReferenceConfig.builder(LookupService.class)
                .address(providers.start(slow)).address(providers.start(fast))
                .timeout(Duration.ofMillis(600)).hedgeDelay(Duration.ofMillis(50)));
        RpcException e = catchThrowableOfType(RpcException.class, () -> lookup.write("k"));
        assertThat(e.code()).isEqualTo(RpcErrorCode.TIMEOUT);
        assertThat(fast.calls.get()).as("a write is sent once").isZero();
    }

    @Test
    void whenEveryAttemptFailsTheExceptionListsEachAndTheDeadlineHolds() {
        Lookup first = providers.lookup("a", true);
        Lookup second = providers.lookup("b", true);
        LookupService lookup = providers.consumer(ReferenceConfig.builder(LookupService.class)
                .address(providers.start(first)).address(providers.start(second))
                // Three attempts allowed, two providers: a hedge never goes back to a provider tried.
                .timeout(Duration.ofMillis(800)).hedgeDelay(Duration.ofMillis(100)).hedgeAttempts(3));
        long start = System.nanoTime();
        RpcException e = catchThrowableOfType(RpcException.class, () -> lookup.find("k"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        log.info("Hedging, every attempt failing: {} ms (timeout 800 ms): {}", millis, e.getMessage());
        assertThat(e.code()).isEqualTo(RpcErrorCode.TIMEOUT);
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(e.attempts()).hasSize(2);
        assertThat(e.attempts()).extracting(RpcException.Attempt::endpoint).doesNotHaveDuplicates();
        assertThat(e.attempts()).allSatisfy(a -> assertThat(a.code()).isEqualTo(RpcErrorCode.TIMEOUT));
        assertThat(millis).as("the call's deadline, for every attempt").isBetween(750L, 2_500L);
        assertThat(first.calls.get()).isEqualTo(1);
        assertThat(second.calls.get()).isEqualTo(1);
    }

    private static java.lang.reflect.Method method(String name) {
        try {
            return LookupService.class.getMethod(name, String.class);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
