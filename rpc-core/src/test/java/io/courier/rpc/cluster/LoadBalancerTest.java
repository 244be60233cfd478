package io.courier.rpc.cluster;

import io.courier.rpc.RpcMethod;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Distributions are checked statistically over many picks, never by timing. */
class LoadBalancerTest {

    interface Catalog {
        @RpcMethod(hashArguments = 0)
        String find(String sku);
    }

    private static final ServiceKey KEY = ServiceKey.of(Catalog.class, "", "");
    private static final int PICKS = 60_000;

    private static Endpoint endpoint(int port, int weight, String... tags) {
        return new Endpoint(new ProviderInstance(KEY, "10.0.0." + port, 7000 + port, weight, Set.of(tags), Map.of()));
    }

    private static RpcRequest request(String arg) throws Exception {
        MethodMetadata m = MethodMetadata.forConsumer(Catalog.class.getMethod("find", String.class),
                ServiceKey.of(Catalog.class, "", ""), 1000);
        return new RpcRequest(m, new Object[] {arg}, Map.of(), 1000);
    }

    private static Map<Endpoint, Integer> distribution(LoadBalancer lb, List<Endpoint> endpoints) throws Exception {
        Map<Endpoint, Integer> counts = new HashMap<>();
        RpcRequest request = request("x");
        for (int i = 0; i < PICKS; i++) {
            counts.merge(lb.select(endpoints, request), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void randomFollowsWeightsOneTwoThree() throws Exception {
        List<Endpoint> e = List.of(endpoint(1, 100), endpoint(2, 200), endpoint(3, 300));
        Map<Endpoint, Integer> counts = distribution(LoadBalancers.RANDOM.create(), e);
        assertThat(counts.get(e.get(0)) / (double) PICKS).isCloseTo(1 / 6d, within(0.01));
        assertThat(counts.get(e.get(1)) / (double) PICKS).isCloseTo(2 / 6d, within(0.01));
        assertThat(counts.get(e.get(2)) / (double) PICKS).isCloseTo(3 / 6d, within(0.01));
    }

    @Test
    void smoothRoundRobinIsExactAndInterleaved() throws Exception {
        List<Endpoint> e = List.of(endpoint(1, 1), endpoint(2, 2), endpoint(3, 3));
        LoadBalancer lb = LoadBalancers.ROUND_ROBIN.create();
        Map<Endpoint, Integer> counts = distribution(lb, e);
        assertThat(counts).containsEntry(e.get(0), 10_000).containsEntry(e.get(1), 20_000).containsEntry(e.get(2), 30_000);

        List<Endpoint> five = List.of(endpoint(1, 5), endpoint(2, 1), endpoint(3, 1));
        LoadBalancer smooth = LoadBalancers.ROUND_ROBIN.create();
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            order.append(smooth.select(five, request("x")).address().getPort() - 7000);
        }
        assertThat(order.toString()).isEqualTo("1121311");

        List<Endpoint> equal = List.of(endpoint(1, 100), endpoint(2, 100), endpoint(3, 100));
        LoadBalancer uniform = LoadBalancers.ROUND_ROBIN.create();
        StringBuilder turns = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            turns.append(uniform.select(equal, request("x")).address().getPort() - 7000);
        }
        assertThat(turns.toString()).isEqualTo("123123");
        assertThat(distribution(uniform, equal).values()).containsOnly(PICKS / 3);
    }

    @Test
    void leastActivePrefersIdleEndpoints() throws Exception {
        List<Endpoint> e = List.of(endpoint(1, 100), endpoint(2, 100), endpoint(3, 100));
        e.get(0).callStarted();
        e.get(0).callStarted();
        e.get(1).callStarted();
        Map<Endpoint, Integer> counts = distribution(LoadBalancers.LEAST_ACTIVE.create(), e);
        assertThat(counts).containsOnlyKeys(e.get(2)).containsEntry(e.get(2), PICKS);
        e.get(2).callStarted();
        // Now 2 and 3 tie with one call each: split evenly.
        Map<Endpoint, Integer> tie = distribution(LoadBalancers.LEAST_ACTIVE.create(), e);
        assertThat(tie).doesNotContainKey(e.get(0));
        assertThat(tie.get(e.get(1)) / (double) PICKS).isCloseTo(0.5, within(0.01));
    }

    @Test
    void consistentHashIsStickyBalancedAndMovesOnlyTheLeaversKeys() throws Exception {
        List<Endpoint> three = List.of(endpoint(1, 100), endpoint(2, 100), endpoint(3, 100));
        LoadBalancer lb = LoadBalancers.CONSISTENT_HASH.create();
        Map<String, Endpoint> before = new HashMap<>();
        Map<Endpoint, Integer> load = new HashMap<>();
        for (int i = 0; i < 30_000; i++) {
            Endpoint chosen = lb.select(three, request("sku-" + i));
            before.put("sku-" + i, chosen);
            load.merge(chosen, 1, Integer::sum);
            assertThat(lb.select(three, request("sku-" + i))).isSameAs(chosen);
        }
        for (Endpoint e : three) {
            assertThat(load.get(e) / 30_000d).isBetween(0.25, 0.42);
        }
        List<Endpoint> two = List.of(three.get(0), three.get(2));
        int moved = 0;
        for (int i = 0; i < 30_000; i++) {
            Endpoint after = lb.select(two, request("sku-" + i));
            Endpoint was = before.get("sku-" + i);
            if (was != three.get(1)) {
                assertThat(after).isSameAs(was);
            } else {
                moved++;
            }
        }
        assertThat(moved).isEqualTo(load.get(three.get(1)));
    }

    @Test
    void adaptiveShiftsTrafficAwayFromSlowEndpoints() throws Exception {
        List<Endpoint> e = List.of(endpoint(1, 100), endpoint(2, 100), endpoint(3, 100));
        for (int i = 0; i < 20; i++) {
            e.get(0).callStarted();
            e.get(0).callEnded(50_000_000, true);
            e.get(1).callStarted();
            e.get(1).callEnded(1_000_000, true);
            e.get(2).callStarted();
            e.get(2).callEnded(1_000_000, true);
        }
        Map<Endpoint, Integer> counts = distribution(LoadBalancers.ADAPTIVE.create(), e);
        // Two random choices: the slow endpoint wins only when drawn against itself, which never happens.
        assertThat(counts.getOrDefault(e.get(0), 0)).isZero();
        assertThat(counts.get(e.get(1)) / (double) PICKS).isCloseTo(0.5, within(0.02));
    }

    @Test
    void builtInStrategiesHavePropertyNames() {
        assertThat(LoadBalancers.ROUND_ROBIN.propertyName()).isEqualTo("round-robin");
        assertThat(LoadBalancers.CONSISTENT_HASH.propertyName()).isEqualTo("consistent-hash");
        assertThat(LoadBalancers.ADAPTIVE.create()).isNotSameAs(LoadBalancers.ADAPTIVE.create());
    }

    @Test
    void tagRoutingSeparatesCanaries() {
        List<Endpoint> e = List.of(endpoint(1, 100), endpoint(2, 100, "canary"), endpoint(3, 100));
        TagRouter fallback = new TagRouter(true);
        TagRouter strict = new TagRouter(false);
        assertThat(fallback.route(e, "")).containsExactly(e.get(0), e.get(2));
        assertThat(fallback.route(e, "canary")).containsExactly(e.get(1));
        assertThat(fallback.route(e, "blue")).containsExactly(e.get(0), e.get(2));
        assertThat(strict.route(e, "blue")).isEmpty();
        List<Endpoint> allCanary = List.of(endpoint(4, 100, "canary"));
        assertThat(fallback.route(allCanary, null)).containsExactlyElementsOf(allCanary);
    }

    @Test
    void retryBudgetCapsRetriesAtAFractionOfCalls() {
        long[] now = {0};
        RetryBudget budget = new RetryBudget(0.2, 0, () -> now[0]);
        int retries = 0;
        for (int i = 0; i < 1000; i++) {
            budget.deposit();
            if (budget.tryWithdraw()) {
                retries++;
            }
        }
        assertThat(retries).isBetween(195, 200);
        RetryBudget floor = new RetryBudget(0, 5, () -> now[0]);
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            allowed += floor.tryWithdraw() ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(5);
        now[0] += 1_000_000_000L;
        assertThat(floor.tryWithdraw()).isTrue();
    }
}
