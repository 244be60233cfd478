package io.courier.rpc.cluster;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Per-attempt timeouts: a provider that hangs costs an idempotent call one attempt, not its whole deadline. */
@Timeout(30)
class AttemptTimeoutTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** The calls hanging on providers, released when the test ends. */
    private final List<CountDownLatch> hanging = new CopyOnWriteArrayList<>();

    /**
     * Answers with its name, or, when hanging, only once the test ends: a cancelled call is
     * counted but keeps hanging, so that no late answer can race the consumer's attempt timer.
     */
    final class Lookup implements LookupService {

        final String name;
        final boolean hangs;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger cancelled = new AtomicInteger();
        /** The longest time to answer any call was given, from its deadline. */
        final AtomicLong largestBudgetMillis = new AtomicLong();

        Lookup(String name, boolean hangs) {
            this.name = name;
            this.hangs = hangs;
        }

        @Override
        public String find(String key) {
            return answer();
        }

        @Override
        public String write(String key) {
            return answer();
        }

        private String answer() {
            calls.incrementAndGet();
            RpcContext context = RpcContext.current();
            largestBudgetMillis.accumulateAndGet(context.remainingMillis(), Math::max);
            if (hangs) {
                context.addCancellationListener(cancelled::incrementAndGet);
                CountDownLatch stop = new CountDownLatch(1);
                hanging.add(stop);
                try {
                    stop.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return name;
        }
    }

    @AfterEach
    void close() throws Exception {
        hanging.forEach(CountDownLatch::countDown);
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private String start(Lookup lookup) {
        RpcServer server = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO).build())
                .service(LookupService.class, lookup).build().start();
        closeables.add(server);
        return "127.0.0.1:" + server.address().getPort();
    }

    private LookupService consumer(ReferenceConfig.Builder<LookupService> config) {
        RpcClient client = RpcClient.builder().build();
        closeables.add(client);
        // Round robin starting with the first address: the hanging provider is always tried first.
        return client.reference(config.loadBalancer(LoadBalancers.ROUND_ROBIN).build());
    }

    @Test
    void idempotentCallMovesOnAfterTheAttemptTimeout() {
        Lookup hung = new Lookup("hung", true);
        Lookup healthy = new Lookup("healthy", false);
        LookupService lookup = consumer(ReferenceConfig.builder(LookupService.class)
                .address(start(hung)).address(start(healthy))
                .timeout(Duration.ofSeconds(5)).attemptTimeout(Duration.ofMillis(200)));
        for (int i = 0; i < 4; i++) {
            long start = System.nanoTime();
            assertThat(lookup.find("k")).isEqualTo("healthy");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("one attempt of 200 ms, not the 5 s call timeout").isLessThan(2_000);
        }
        assertThat(hung.calls.get()).isPositive();
        // The provider was given the attempt's time, not the call's, and the attempt ended there too
        // (by the consumer's CANCEL frame or its own deadline, whichever came first).
        assertThat(hung.largestBudgetMillis.get()).isBetween(1L, 200L);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(hung.cancelled.get()).isEqualTo(hung.calls.get()));
    }

    @Test
    void methodAttemptTimeoutOverridesTheReferenceOne() {
        Lookup hung = new Lookup("hung", true);
        Lookup healthy = new Lookup("healthy", false);
        LookupService lookup = consumer(ReferenceConfig.builder(LookupService.class)
                .address(start(hung)).address(start(healthy))
                .timeout(Duration.ofSeconds(2)).methodAttemptTimeout("find", Duration.ofMillis(150)));
        long start = System.nanoTime();
        assertThat(lookup.find("k")).isEqualTo("healthy");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_500);
    }

    @Test
    void attemptsThatAllTimeOutAreListedAndTheLastGetsTheTimeLeft() {
        Lookup first = new Lookup("a", true);
        Lookup second = new Lookup("b", true);
        LookupService lookup = consumer(ReferenceConfig.builder(LookupService.class)
                .address(start(first)).address(start(second))
                .timeout(Duration.ofMillis(1_500)).attemptTimeout(Duration.ofMillis(200)).retries(2));
        long start = System.nanoTime();
        RpcException e = catchThrowableOfType(RpcException.class, () -> lookup.find("k"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(e.code()).isEqualTo(RpcErrorCode.TIMEOUT);
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(e.attempts()).hasSize(3);
        assertThat(e.attempts().get(0).elapsedMillis()).isBetween(150L, 800L);
        assertThat(e.attempts().get(1).elapsedMillis()).isBetween(150L, 800L);
        // The third attempt has no retry after it, so it waits out the call's deadline.
        assertThat(e.attempts().get(2).elapsedMillis()).isGreaterThan(700L);
        assertThat(millis).isBetween(1_400L, 2_500L);
    }

    @Test
    void nonIdempotentCallIgnoresTheAttemptTimeout() {
        Lookup hung = new Lookup("hung", true);
        Lookup healthy = new Lookup("healthy", false);
        LookupService lookup = consumer(ReferenceConfig.builder(LookupService.class)
                .address(start(hung)).address(start(healthy))
                .timeout(Duration.ofMillis(800)).attemptTimeout(Duration.ofMillis(100)));
        long start = System.nanoTime();
        RpcException e = catchThrowableOfType(RpcException.class, () -> lookup.write("k"));
        assertThat(e.code()).isEqualTo(RpcErrorCode.TIMEOUT);
        assertThat(e.attempts()).as("one attempt: a sent write is never retried").isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000).as("the whole call timeout").isGreaterThanOrEqualTo(750L);
        assertThat(healthy.calls.get()).isZero();
    }
}
