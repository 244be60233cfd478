package io.courier.rpc.cluster;

import io.courier.rpc.invoke.RpcRequest;

import java.util.ArrayList;
import java.util.List;

/** Picks among the endpoints with the fewest calls in flight, by weight. Thread-safe (stateless). */
final class LeastActiveLoadBalancer implements LoadBalancer {

    @Override
    public Endpoint select(List<Endpoint> candidates, RpcRequest request) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        int least = Integer.MAX_VALUE;
        List<Endpoint> ties = new ArrayList<>(candidates.size());
        for (Endpoint e : candidates) {
            int active = e.active();
            if (active < least) {
                least = active;
                ties.clear();
                ties.add(e);
            } else if (active == least) {
                ties.add(e);
            }
        }
        return ties.size() == 1 ? ties.get(0) : WeightedPick.pick(ties, ties.size());
    }
}
