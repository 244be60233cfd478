package io.courier.rpc.cluster;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.cluster.OutlierDetector.Outcome;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The ejection policy on a fake clock: no test waits for real time to pass. */
class OutlierDetectorTest {

    interface Catalog {
        String find(String sku);
    }

    private final AtomicLong nanos = new AtomicLong(-3_000_000_000L); // nanoTime may be negative
    private final List<Endpoint> endpoints = new ArrayList<>();

    private OutlierDetector detector(OutlierDetection options, int providers) {
        for (int i = 0; i < providers; i++) {
            ProviderInstance instance = new ProviderInstance(ServiceKey.of(Catalog.class, "", ""), "10.0.0." + (i + 1),
                    7001, 100, Set.of(), Map.of());
            endpoints.add(new Endpoint(instance, nanos::get));
        }
        return new OutlierDetector(options, () -> List.copyOf(endpoints), "Catalog", nanos::get);
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private static void fail(OutlierDetector d, Endpoint e, int times) {
        for (int i = 0; i < times; i++) {
            d.record(e, Outcome.FAILED, false);
        }
    }

    @Test
    void fiveFailuresInARowEjectAndAnAnswerInBetweenResetsTheCount() {
        OutlierDetector d = detector(OutlierDetection.ofDefaults(), 2);
        Endpoint e = endpoints.get(0);
        fail(d, e, 4);
        d.record(e, Outcome.ANSWERED, false);
        fail(d, e, 4);
        assertThat(OutlierDetector.isEjected(e)).isFalse();
        assertThat(d.status(e).consecutiveFailures()).isEqualTo(4);
        fail(d, e, 1);
        assertThat(OutlierDetector.isEjected(e)).isTrue();
        assertThat(d.selectable(e, d.now())).isFalse();
        assertThat(d.selectable(endpoints.get(1), d.now())).isTrue();
        assertThat(e).hasToString("Endpoint[10.0.0.1:7001, weight=100, tags=[], active=0, ejected]");
    }

    @Test
    void ejectionGrowsByTheBaseTimeUpToTheMaximumWhileProbesFail() {
        OutlierDetector d = detector(OutlierDetection.builder().baseEjectionTime(Duration.ofSeconds(1))
                .maxEjectionTime(Duration.ofMillis(3_500)).build(), 2);
        Endpoint e = endpoints.get(0);
        fail(d, e, 5);
        long[] expectedMillis = {1_000, 2_000, 3_000, 3_500, 3_500};
        for (long ejection : expectedMillis) {
            advanceMillis(ejection - 1);
            assertThat(d.selectable(e, d.now())).as("1 ms before the end of a %d ms ejection", ejection).isFalse();
            assertThat(d.tryClaimProbe(e, d.now())).isFalse();
            advanceMillis(1);
            assertThat(d.selectable(e, d.now())).as("at the end of a %d ms ejection", ejection).isTrue();
            assertThat(d.tryClaimProbe(e, d.now())).isTrue();
            // One probe at a time: the others keep away until it ends.
            assertThat(d.selectable(e, d.now())).isFalse();
            assertThat(d.tryClaimProbe(e, d.now())).isFalse();
            d.record(e, Outcome.FAILED, true);
            assertThat(OutlierDetector.isEjected(e)).isTrue();
        }
        assertThat(d.status(e).ejections()).isEqualTo(6);
    }

    @Test
    void aSuccessfulProbeReadmitsAndForgetsPastEjections() {
        OutlierDetector d = detector(OutlierDetection.ofDefaults(), 2);
        Endpoint e = endpoints.get(0);
        fail(d, e, 5);
        advanceMillis(1_000);
        assertThat(d.tryClaimProbe(e, d.now())).isTrue();
        d.record(e, Outcome.FAILED, true);
        advanceMillis(2_000);
        assertThat(d.tryClaimProbe(e, d.now())).isTrue();
        d.record(e, Outcome.ANSWERED, true);
        assertThat(OutlierDetector.isEjected(e)).isFalse();
        EndpointStatus status = d.status(e);
        assertThat(status.ejected()).isFalse();
        assertThat(status.ejectedUntil()).isNull();
        assertThat(status.ejections()).isZero();
        assertThat(status.consecutiveFailures()).isZero();

        // The next ejection starts again from the base time.
        fail(d, e, 5);
        advanceMillis(999);
        assertThat(d.selectable(e, d.now())).isFalse();
        advanceMillis(1);
        assertThat(d.selectable(e, d.now())).isTrue();
    }

    @Test
    void aProbeThatSaysNothingLetsTheNextCallProbe() {
        OutlierDetector d = detector(OutlierDetection.ofDefaults(), 2);
        Endpoint e = endpoints.get(0);
        fail(d, e, 5);
        advanceMillis(1_000);
        assertThat(d.tryClaimProbe(e, d.now())).isTrue();
        d.record(e, Outcome.IGNORED, true);
        assertThat(OutlierDetector.isEjected(e)).isTrue();
        assertThat(d.tryClaimProbe(e, d.now())).isTrue();
    }

    @Test
    void failuresOfCallsSentBeforeTheEjectionDoNotExtendIt() {
        OutlierDetector d = detector(OutlierDetection.ofDefaults(), 2);
        Endpoint e = endpoints.get(0);
        fail(d, e, 12);
        assertThat(d.status(e).ejections()).isEqualTo(1);
        advanceMillis(1_000);
        assertThat(d.selectable(e, d.now())).isTrue();
    }

    @Test
    void failureRateAboveTheThresholdEjectsOnceTheWindowHoldsEnoughCalls() {
        OutlierDetector d = detector(OutlierDetection.builder().consecutiveFailures(0).failureRatePercent(50)
                .failureRateMinimumCalls(10).failureRateWindow(Duration.ofSeconds(10)).build(), 2);
        Endpoint e = endpoints.get(0);
        // Failures and answers alternate: never two failures in a row, exactly half failed.
        for (int i = 0; i < 10; i++) {
            d.record(e, i % 2 == 0 ? Outcome.FAILED : Outcome.ANSWERED, false);
        }
        assertThat(OutlierDetector.isEjected(e)).as("50 %% is not above 50 %%").isFalse();
        fail(d, e, 1); // 6 of 11
        assertThat(OutlierDetector.isEjected(e)).isTrue();
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        OutlierDetector d = detector(OutlierDetection.builder().consecutiveFailures(0).failureRatePercent(50)
                .failureRateMinimumCalls(10).failureRateWindow(Duration.ofSeconds(10)).build(), 2);
        Endpoint e = endpoints.get(0);
        fail(d, e, 9);
        advanceMillis(11_000);
        for (int i = 0; i < 9; i++) {
            d.record(e, Outcome.ANSWERED, false);
        }
        fail(d, e, 1); // 1 of 10 in the window; 10 of 19 ever
        assertThat(OutlierDetector.isEjected(e)).isFalse();
    }

    @Test
    void neverEjectsMoreThanTheMaxPercentOfAService() {
        OutlierDetector two = detector(OutlierDetection.ofDefaults(), 2);
        fail(two, endpoints.get(0), 5);
        fail(two, endpoints.get(1), 50);
        assertThat(endpoints).filteredOn(OutlierDetector::isEjected).hasSize(1);
        assertThat(two.status(endpoints.get(1)).consecutiveFailures()).isEqualTo(50);

        endpoints.clear();
        OutlierDetector five = detector(OutlierDetection.ofDefaults(), 5);
        for (Endpoint e : endpoints) {
            fail(five, e, 5);
        }
        assertThat(endpoints).filteredOn(OutlierDetector::isEjected).hasSize(2);

        endpoints.clear();
        OutlierDetector one = detector(OutlierDetection.ofDefaults(), 1);
        fail(one, endpoints.get(0), 100);
        assertThat(OutlierDetector.isEjected(endpoints.get(0))).as("the only provider stays").isFalse();
    }

    @Test
    void cancelledCallsAndDisabledDetectionEjectNothing() {
        OutlierDetector d = detector(OutlierDetection.ofDefaults(), 2);
        for (int i = 0; i < 20; i++) {
            d.record(endpoints.get(0), OutlierDetector.outcomeOf(RpcException.unanswered(RpcErrorCode.CANCELLED,
                    "cancelled", null)), false);
        }
        assertThat(OutlierDetector.isEjected(endpoints.get(0))).isFalse();

        endpoints.clear();
        OutlierDetector off = detector(OutlierDetection.disabled(), 2);
        fail(off, endpoints.get(0), 100);
        assertThat(OutlierDetector.isEjected(endpoints.get(0))).isFalse();
    }

    @Test
    void onlyTimeoutsAndTransportFailuresCount() {
        for (RpcErrorCode code : RpcErrorCode.values()) {
            Outcome expected = switch (code) {
                case TIMEOUT, OUTCOME_UNKNOWN, CONNECT_FAILED, NOT_SENT, CONNECTION_LOST -> Outcome.FAILED;
                case CANCELLED, NO_PROVIDER -> Outcome.IGNORED;
                default -> Outcome.ANSWERED;
            };
            assertThat(OutlierDetector.outcomeOf(new RpcException(code, "x"))).as(code.name()).isEqualTo(expected);
        }
        assertThat(OutlierDetector.outcomeOf(null)).isEqualTo(Outcome.ANSWERED);
    }

    @Test
    void statusShowsWhenTheEjectionEnds() {
        OutlierDetector d = detector(OutlierDetection.ofDefaults(), 2);
        Endpoint e = endpoints.get(0);
        fail(d, e, 5);
        EndpointStatus status = d.status(e);
        assertThat(status.address()).isEqualTo("10.0.0.1:7001");
        assertThat(status.ejected()).isTrue();
        assertThat(status.ejections()).isEqualTo(1);
        assertThat(status.consecutiveFailures()).isEqualTo(5);
        assertThat(status.ejectedUntil().toEpochMilli())
                .isCloseTo(Instant.now().plusSeconds(1).toEpochMilli(), within(200L));
    }

    @Test
    void builderChecksEachValue() {
        assertThatThrownBy(() -> OutlierDetection.builder().baseEjectionTime(Duration.ZERO))
                .isInstanceOf(InvalidOptionException.class).hasMessage("baseEjectionTime: PT0S (expected: > 0)");
        assertThatThrownBy(() -> OutlierDetection.builder().maxEjectionPercent(101))
                .isInstanceOf(InvalidOptionException.class).hasMessage("maxEjectionPercent: 101 (expected: 0..100)");
        assertThatThrownBy(() -> OutlierDetection.builder().failureRatePercent(100))
                .isInstanceOf(InvalidOptionException.class).hasMessage("failureRatePercent: 100 (expected: 0..99)");
        assertThatThrownBy(() -> OutlierDetection.builder().consecutiveFailures(-1))
                .isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> OutlierDetection.builder().failureRateMinimumCalls(0))
                .isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> OutlierDetection.builder().failureRateWindow(Duration.ofMillis(5)))
                .isInstanceOf(InvalidOptionException.class).hasMessage("failureRateWindow: PT0.005S (expected: >= PT0.01S)");
        assertThatThrownBy(() -> OutlierDetection.builder().baseEjectionTime(Duration.ofSeconds(10))
                .maxEjectionTime(Duration.ofSeconds(5)).build()).isInstanceOf(InvalidOptionException.class)
                .hasMessage("maxEjectionTime: PT5S (expected: >= baseEjectionTime (PT10S))");
        OutlierDetection custom = OutlierDetection.builder().consecutiveFailures(3).build();
        assertThat(custom.toBuilder().build()).isEqualTo(custom).hasSameHashCodeAs(custom);
        assertThat(custom).isNotEqualTo(OutlierDetection.ofDefaults());
        assertThat(OutlierDetection.disabled().enabled()).isFalse();
    }
}
