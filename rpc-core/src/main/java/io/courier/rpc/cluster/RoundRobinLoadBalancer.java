package io.courier.rpc.cluster;

import io.courier.rpc.invoke.RpcRequest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Smooth weighted round robin (as in nginx): each pick raises every candidate's current weight
 * by its weight and lowers the winner's by the total, so weights 5:1:1 give
 * {@code a a b a c a a} rather than bursts.
 *
 * <p>Thread-safe: picks are serialised on this instance (one per method).
 */
final class RoundRobinLoadBalancer implements LoadBalancer {

    private final Map<String, long[]> current = new HashMap<>();

    @Override
    public synchronized Endpoint select(List<Endpoint> candidates, RpcRequest request) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
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
