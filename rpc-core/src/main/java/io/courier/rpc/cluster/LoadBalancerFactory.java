package io.courier.rpc.cluster;

/**
 * Creates {@link LoadBalancer}s: the typed, pluggable way a reference chooses its balancing
 * strategy. The built-in strategies are the constants of {@link LoadBalancers}; a custom one is
 * any implementation, usually a lambda:
 *
 * <pre>{@code
 * ReferenceConfig.builder(UserService.class)
 *         .loadBalancer(LoadBalancers.LEAST_ACTIVE)
 *         .methodLoadBalancer("find", () -> new MyZoneAwareBalancer(zone))
 *         .build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe. {@link #create()} is called once per method of each
 * reference, so a stateful balancer keeps state per method.
 */
@FunctionalInterface
public interface LoadBalancerFactory {

    /** Returns a new balancer. */
    LoadBalancer create();
}
