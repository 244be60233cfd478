/**
 * Courier RPC's public face: {@link io.courier.rpc.RpcServer} and {@link io.courier.rpc.RpcClient}
 * to export and call services from plain Java, and the programming model every layer shares:
 * {@link io.courier.rpc.RpcMethod}, {@link io.courier.rpc.RpcContext},
 * {@link io.courier.rpc.RpcFuture}, {@link io.courier.rpc.RpcException} with its stable
 * {@link io.courier.rpc.RpcErrorCode}, and {@link io.courier.rpc.InvalidOptionException}.
 *
 * <p>The programming-model types sit below every other package; the server and client sit above
 * them all and wire them together. {@code LayeringTest} keeps it so.
 */
package io.courier.rpc;
