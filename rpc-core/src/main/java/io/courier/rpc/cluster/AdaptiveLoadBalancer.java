package io.courier.rpc.cluster;

import io.courier.rpc.invoke.RpcRequest;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Power of two random choices: draws two endpoints and takes the one with the lower cost,
 * {@code (latency EWMA + 1 ms) × (calls in flight + 1) / weight}. Slow or overloaded providers
 * get less traffic without any central coordination; an endpoint with no latency yet looks
 * cheap, so new providers are probed quickly.
 *
 * <p>Thread-safe (stateless).
 */
final class AdaptiveLoadBalancer implements LoadBalancer {

    @Override
    public Endpoint select(List<Endpoint> candidates, RpcRequest request) {
        int n = candidates.size();
        if (n == 1) {
            return candidates.get(0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = random.nextInt(n);
        int j = random.nextInt(n - 1);
        if (j >= i) {
            j++;
        }
        Endpoint a = candidates.get(i);
        Endpoint b = candidates.get(j);
        return cost(a) <= cost(b) ? a : b;
    }

    private static double cost(Endpoint e) {
        double weight = Math.max(1, e.weight());
        return (e.latencyNanos() + 1_000_000d) * (e.active() + 1) / weight;
    }
}
