/**
 * Routing a consumer's calls among providers: the {@link io.courier.rpc.cluster.LoadBalancer}
 * SPI with its {@link io.courier.rpc.cluster.LoadBalancerFactory} and the built-in
 * {@link io.courier.rpc.cluster.LoadBalancers}, {@link io.courier.rpc.cluster.Endpoint} (a
 * provider as balancers see it, with health and statistics),
 * {@link io.courier.rpc.cluster.ClusterMode} (failover, fail-fast, fail-safe), the
 * {@link io.courier.rpc.cluster.RetryBudget}, {@link io.courier.rpc.cluster.OutlierDetection}
 * (ejecting providers that keep timing out) and {@link io.courier.rpc.cluster.EndpointStatus}, a
 * read-only view of a provider for health checks.
 *
 * <p>{@link io.courier.rpc.cluster.ClusterInvoker}, {@link io.courier.rpc.cluster.Directory},
 * {@link io.courier.rpc.cluster.ClusterPolicy} and {@link io.courier.rpc.cluster.CallSender} are
 * public for {@link io.courier.rpc.RpcClient}'s wiring; applications do not use them. This
 * package knows nothing of configuration or transport: it gets resolved values and a sender.
 */
package io.courier.rpc.cluster;
