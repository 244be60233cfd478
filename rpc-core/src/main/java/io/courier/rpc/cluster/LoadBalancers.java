package io.courier.rpc.cluster;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Creates load balancers by name: {@value #RANDOM}, {@value #ROUND_ROBIN}, {@value #LEAST_ACTIVE},
 * {@value #CONSISTENT_HASH} and {@value #ADAPTIVE}.
 *
 * <p>Thread-safe (stateless).
 */
public final class LoadBalancers {

    /** Weighted random. */
    public static final String RANDOM = "random";
    /** Smooth weighted round robin (the default). */
    public static final String ROUND_ROBIN = "round-robin";
    /** Fewest calls in flight, ties broken by weighted random. */
    public static final String LEAST_ACTIVE = "least-active";
    /** Consistent hash of the arguments chosen with {@code @RpcMethod(hashArguments)}, on a ring of virtual nodes. */
    public static final String CONSISTENT_HASH = "consistent-hash";
    /** Power of two random choices on latency (EWMA) times calls in flight. */
    public static final String ADAPTIVE = "adaptive";

    /** Every built-in name. */
    public static final List<String> NAMES = List.of(RANDOM, ROUND_ROBIN, LEAST_ACTIVE, CONSISTENT_HASH, ADAPTIVE);

    private LoadBalancers() {
    }

    /**
     * Returns a supplier of fresh balancers for a name.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Supplier<LoadBalancer> factory(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case RANDOM -> RandomLoadBalancer::new;
            case ROUND_ROBIN, "roundrobin" -> RoundRobinLoadBalancer::new;
            case LEAST_ACTIVE, "leastactive" -> LeastActiveLoadBalancer::new;
            case CONSISTENT_HASH, "consistenthash" -> ConsistentHashLoadBalancer::new;
            case ADAPTIVE, "p2c" -> AdaptiveLoadBalancer::new;
            default -> throw new IllegalArgumentException("loadBalancer: '" + name + "' (expected one of " + NAMES + ")");
        };
    }

    /** Returns a new balancer for a name. */
    public static LoadBalancer create(String name) {
        return factory(name).get();
    }
}
