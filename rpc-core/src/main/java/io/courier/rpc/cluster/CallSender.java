package io.courier.rpc.cluster;

import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one attempt of a call to one provider address: the transport, as the cluster layer
 * sees it.
 *
 * <p>Implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface CallSender {

    /** Sends the call; the future completes with the provider's response or an {@link io.courier.rpc.RpcException}. */
    CompletableFuture<RpcResponse> send(InetSocketAddress address, RpcRequest request);
}
