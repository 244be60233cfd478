package io.courier.rpc.cluster;

import io.courier.rpc.invoke.RpcRequest;

import java.util.List;

/**
 * Picks the endpoint a call goes to.
 *
 * <p>Implementations must be thread-safe. One instance serves one method of one reference, so a
 * stateful balancer (round robin, consistent hash) keeps state per method. Selection runs on
 * the calling thread for every call: keep it cheap and never block.
 */
public interface LoadBalancer {

    /**
     * Picks one of {@code candidates}.
     *
     * @param candidates the routable endpoints, never empty
     * @param request the call, e.g. for hashing its arguments
     */
    Endpoint select(List<Endpoint> candidates, RpcRequest request);
}
