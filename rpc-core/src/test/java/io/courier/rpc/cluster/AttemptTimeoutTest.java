package io.courier.rpc.cluster;

import io.courier.rpc.cluster.LookupProviders.Lookup;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.config.ReferenceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Per-attempt timeouts: a provider that hangs costs an idempotent call one attempt, not its whole deadline. */
@Timeout(30)
class AttemptTimeoutTest {

    private final LookupProviders providers = new LookupProviders();

    @AfterEach
    void close() throws Exception {
        providers.close();
    }

    @Test
    void idempotentCallMovesOnAfterTheAttemptTimeout() {
        Lookup hung = providers.lookup("hung", true);
        Lookup healthy = providers.lookup("healthy", false);
        LookupService lookup = providers.consumer(ReferenceConfig.builder(LookupService.class)
                .address(providers.start(hung)).address(providers.start(healthy))
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
        Lookup hung = providers.lookup("hung", true);
        Lookup healthy = providers.lookup("healthy", false);
        LookupService lookup = providers.consumer(ReferenceConfig.builder(LookupService.class)
                .address(providers.start(hung)).address(providers.start(healthy))
                .timeout(Duration.ofSeconds(2)).methodAttemptTimeout("find", Duration.ofMillis(150)));
        long start = System.nanoTime();
        assertThat(lookup.find("k")).isEqualTo("healthy");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_500);
    }

    @Test
    void attemptsThatAllTimeOutAreListedAndTheLastGetsTheTimeLeft() {
        Lookup first = providers.lookup("a", true);
        Lookup second = providers.lookup("b", true);
        LookupService lookup = providers.consumer(ReferenceConfig.builder(LookupService.class)
                .address(providers.start(first)).address(providers.start(second))
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
        Lookup hung = providers.lookup("hung", true);
        Lookup healthy = providers.lookup("healthy", false);
        LookupService lookup = providers.consumer(ReferenceConfig.builder(LookupService.class)
                .address(providers.start(hung)).address(providers.start(healthy))
                .timeout(Duration.ofMillis(800)).attemptTimeout(Duration.ofMillis(100)));
        long start = System.nanoTime();
        RpcException e = catchThrowableOfType(RpcException.class, () -> lookup.write("k"));
        assertThat(e.code()).isEqualTo(RpcErrorCode.TIMEOUT);
        assertThat(e.attempts()).as("one attempt: a sent write is never retried").isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000).as("the whole call timeout").isGreaterThanOrEqualTo(750L);
        assertThat(healthy.calls.get()).isZero();
    }
}
