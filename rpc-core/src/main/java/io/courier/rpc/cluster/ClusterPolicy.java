package io.courier.rpc.cluster;

import java.util.Map;
import java.util.Objects;

/**
 * How a reference's calls are routed and what happens when one fails, resolved from its
 * configuration.
 *
 * <p>Immutable and thread-safe.
 *
 * @param mode what to do when a call fails
 * @param retries how many more providers a retry-safe failure may try
 * @param tag the provider tag calls ask for, empty for none
 * @param fallbackToUntagged whether a tag nobody carries falls back to untagged providers
 * @param loadBalancer the balancer of methods without their own
 * @param methodLoadBalancers balancers of single methods, by method name
 * @param outlierDetection when providers that keep timing out or failing at the transport are ejected
 */
public record ClusterPolicy(ClusterMode mode, int retries, String tag, boolean fallbackToUntagged,
        LoadBalancerFactory loadBalancer, Map<String, LoadBalancerFactory> methodLoadBalancers,
        OutlierDetection outlierDetection) {

    /** Checks and copies the values. */
    public ClusterPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(outlierDetection, "outlierDetection");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(loadBalancer, "loadBalancer");
        methodLoadBalancers = Map.copyOf(methodLoadBalancers);
    }

    /** Creates a policy with the default {@link OutlierDetection}. */
    public ClusterPolicy(ClusterMode mode, int retries, String tag, boolean fallbackToUntagged,
            LoadBalancerFactory loadBalancer, Map<String, LoadBalancerFactory> methodLoadBalancers) {
        this(mode, retries, tag, fallbackToUntagged, loadBalancer, methodLoadBalancers, OutlierDetection.ofDefaults());
    }

    /** Returns the balancer factory of a method. */
    public LoadBalancerFactory loadBalancerFor(String methodName) {
        return methodLoadBalancers.getOrDefault(methodName, loadBalancer);
    }
}
