package io.courier.rpc.cluster;

/**
 * The built-in load-balancing strategies.
 *
 * <p>Thread-safe (immutable). Spring Boot binds these from properties with relaxed names, so
 * {@code load-balancer: round-robin}, {@code roundrobin} and {@code ROUND_ROBIN} all select
 * {@link #ROUND_ROBIN}.
 */
public enum LoadBalancers implements LoadBalancerFactory {

    /** Weighted random. */
    RANDOM {
        @Override
        public LoadBalancer create() {
            return new RandomLoadBalancer();
        }
    },

    /** Smooth weighted round robin (the default). */
    ROUND_ROBIN {
        @Override
        public LoadBalancer create() {
            return new RoundRobinLoadBalancer();
        }
    },

    /** Fewest calls in flight, ties broken by weighted random. */
    LEAST_ACTIVE {
        @Override
        public LoadBalancer create() {
            return new LeastActiveLoadBalancer();
        }
    },

    /** Consistent hash of the arguments chosen with {@code @RpcMethod(hashArguments)}, on a ring of virtual nodes. */
    CONSISTENT_HASH {
        @Override
        public LoadBalancer create() {
            return new ConsistentHashLoadBalancer();
        }
    },

    /** Power of two random choices on latency (EWMA) times calls in flight. */
    ADAPTIVE {
        @Override
        public LoadBalancer create() {
            return new AdaptiveLoadBalancer();
        }
    };

    /** Returns the name used in properties and logs, e.g. {@code round-robin}. */
    public String propertyName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
