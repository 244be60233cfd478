package io.courier.rpc.cluster;

import io.courier.rpc.invoke.RpcRequest;

import java.util.List;

/** Picks at random, in proportion to weight. Thread-safe (stateless). */
final class RandomLoadBalancer implements LoadBalancer {

    @Override
    public Endpoint select(List<Endpoint> candidates, RpcRequest request) {
        return candidates.size() == 1 ? candidates.get(0) : WeightedPick.pick(candidates, candidates.size());
    }
}
