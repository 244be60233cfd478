/**
 * Immutable settings with builders, checked as each value is set:
 * {@link io.courier.rpc.config.ServerOptions} and {@link io.courier.rpc.config.ClientOptions}
 * for the two ends, {@link io.courier.rpc.config.ServiceConfig} for an exported service and
 * {@link io.courier.rpc.config.ReferenceConfig} for a referenced one. A bad value fails with an
 * {@link io.courier.rpc.InvalidOptionException} naming the option.
 *
 * <p>Settings hand resolved values to the layers below (a timeout in milliseconds, a
 * {@link io.courier.rpc.cluster.ClusterPolicy}); they never reach into them to validate.
 */
package io.courier.rpc.config;
