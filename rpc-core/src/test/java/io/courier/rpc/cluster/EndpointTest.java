package io.courier.rpc.cluster;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the cool-down on a fake clock, so no test waits for real time to pass. */
class EndpointTest {

    interface Catalog {
        String find(String sku);
    }

    private static final long COOLDOWN_MS = 200;

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

    private Endpoint endpoint() {
        ProviderInstance instance = new ProviderInstance(ServiceKey.of(Catalog.class, "", ""), "10.0.0.1", 7001, 100,
                Set.of(), Map.of());
        return new Endpoint(instance, nanos::get);
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private void advanceNanos(long n) {
        nanos.addAndGet(n);
    }

    @Test
    void failedEndpointCoolsDownUntilTheClockPassesTheCooldown() {
        Endpoint endpoint = endpoint();
        assertThat(endpoint.isHealthy()).isTrue();

        endpoint.callStarted();
        endpoint.callEnded(1_000, false);
        assertThat(endpoint.isHealthy()).isFalse();
        assertThat(endpoint.active()).isZero();
        assertThat(endpoint).hasToString("Endpoint[10.0.0.1:7001, weight=100, tags=[], active=0, cooling down]");

        advanceMillis(COOLDOWN_MS - 1);
        assertThat(endpoint.isHealthy()).isFalse();
        advanceNanos(TimeUnit.MILLISECONDS.toNanos(1) - 1);
        assertThat(endpoint.isHealthy()).isFalse();
        advanceNanos(1);
        // Back in rotation, so the next call probes it.
        assertThat(endpoint.isHealthy()).isTrue();
        assertThat(endpoint.toString()).doesNotContain("cooling down");
    }

    @Test
    void cooldownDoublesWithEachConsecutiveFailureUpToTenSeconds() {
        Endpoint endpoint = endpoint();
        long[] expectedMillis = {200, 400, 800, 1_600, 3_200, 6_400, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000};
        for (long cooldown : expectedMillis) {
            endpoint.markUnreachable();
            advanceMillis(cooldown - 1);
            assertThat(endpoint.isHealthy()).as("1 ms before a cool-down of %d ms", cooldown).isFalse();
            advanceMillis(1);
            assertThat(endpoint.isHealthy()).as("after a cool-down of %d ms", cooldown).isTrue();
        }
    }

    @Test
    void aReachableAnswerEndsTheCooldownAndResetsTheBackoff() {
        Endpoint endpoint = endpoint();
        endpoint.markUnreachable();
        advanceMillis(COOLDOWN_MS);
        endpoint.markUnreachable(); // the probe failed: 400 ms now
        advanceMillis(COOLDOWN_MS);
        assertThat(endpoint.isHealthy()).isFalse();

        endpoint.callStarted();
        endpoint.callEnded(2_000_000, true);
        assertThat(endpoint.isHealthy()).isTrue();
        assertThat(endpoint.latencyNanos()).isEqualTo(2_000_000);

        // The next failure starts again from the shortest cool-down.
        endpoint.markUnreachable();
        advanceMillis(COOLDOWN_MS - 1);
        assertThat(endpoint.isHealthy()).isFalse();
        advanceMillis(1);
        assertThat(endpoint.isHealthy()).isTrue();
    }

    @Test
    void cooldownSurvivesClockWrapAround() {
        nanos.set(Long.MAX_VALUE - TimeUnit.MILLISECONDS.toNanos(50));
        Endpoint endpoint = endpoint();
        endpoint.markUnreachable();
        advanceMillis(100); // past Long.MAX_VALUE, still inside the cool-down
        assertThat(nanos.get()).isNegative();
        assertThat(endpoint.isHealthy()).isFalse();
        advanceMillis(COOLDOWN_MS - 100);
        assertThat(endpoint.isHealthy()).isTrue();
    }

    @Test
    void cooldownEndingExactlyAtZeroStillCoolsDown() {
        // 0 is the "not cooling down" marker; a clock reading that puts the end on it must not lose the cool-down.
        nanos.set(-TimeUnit.MILLISECONDS.toNanos(COOLDOWN_MS));
        Endpoint endpoint = endpoint();
        endpoint.markUnreachable();
        assertThat(endpoint.isHealthy()).isFalse();
        advanceMillis(COOLDOWN_MS);
        assertThat(endpoint.isHealthy()).isFalse(); // one nanosecond late, by design
        advanceNanos(1);
        assertThat(endpoint.isHealthy()).isTrue();
    }
}
