package io.courier.rpc.observation;

import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;

/**
 * What an RPC observation knows about its call, on either side.
 *
 * <p>Implemented by {@link RpcClientObservationContext} and {@link RpcServerObservationContext}.
 */
public interface RpcObservationContext {

    /** Returns the call. */
    RpcRequest request();

    /** Returns the status once the call ended: {@code OK}, {@code APPLICATION_ERROR} or an error code name. */
    String status();

    /** Returns the response once the call ended with one, else {@code null}. */
    RpcResponse rpcResponse();
}
