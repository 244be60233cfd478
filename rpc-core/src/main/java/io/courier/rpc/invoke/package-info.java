/**
 * The call model both ends share: {@link io.courier.rpc.invoke.RpcRequest} (method, arguments,
 * attachments, time budget, where it completes, its {@link io.courier.rpc.invoke.Cancellation}),
 * {@link io.courier.rpc.invoke.RpcResponse}, and the metadata parsed once per method
 * ({@link io.courier.rpc.invoke.MethodMetadata}, {@link io.courier.rpc.invoke.ServiceKey}).
 *
 * <p>Interceptors and load balancers see calls through these types. The package depends on
 * nothing but the root package's programming model.
 */
package io.courier.rpc.invoke;
