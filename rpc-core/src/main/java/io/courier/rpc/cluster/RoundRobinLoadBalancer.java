package io.courier.rpc.cluster;

import io.courier.rpc.invoke.RpcRequest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Smooth weighted round robin (as in nginx): each pick raises every candidate's current weight
 * by its weight and lowers the winner's by the total, so weights 5:1:1 give
 * {@code a a b a c a a} rather than bursts.
 *
 * <p>Thread-safe. Picks among equal weights (the common case) take turns on an atomic counter;
 * only unequal weights serialise picks on this instance (one per method), so many callers never
 * queue on a lock for a single provider or a uniform cluster.
 */
final class RoundRobinLoadBalancer implements LoadBalancer {

    private final Map<String, long[]> current = new HashMap<>();
    private final AtomicInteger turn = new AtomicInteger();

    @Override
    public Endpoint select(List<Endpoint> candidates, RpcRequest request) {
        int size = candidates.size();
        if (size == 1) {
            return candidates.get(0);
        }
        int weight = candidates.get(0).weight();
        for (int i = 1; i < size; i++) {
            if (candidates.get(i).weight() != weight) {
                return selectWeighted(candidates);
            }
        }
        return candidates.get((turn.getAndIncrement() & Integer.MAX_VALUE) % size);
    }

    private synchronized Endpoint selectWeighted(List<Endpoint> candidates) {
        if (current.size() > candidates.size() * 2) {
            current.clear();
        }
        boolean allZero = true;
        for (Endpoint e : candidates) {
            allZero &= e.weight() == 0;
        }
        long total = 0;
        Endpoint best = null;
        long[] bestWeight = null;
        for (Endpoint e : candidates) {
            int weight = allZero ? 1 : e.weight();
            long[] w = current.computeIfAbsent(e.key(), k -> new long[1]);
            w[0] += weight;
            total += weight;
            if (best == null || w[0] > bestWeight[0]) {
                best = e;
                bestWeight = w;
            }
        }
        bestWeight[0] -= total;
        return best;
    }
}
