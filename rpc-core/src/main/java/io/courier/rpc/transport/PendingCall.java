package io.courier.rpc.transport;

import io.courier.rpc.invoke.RpcResponse;
import io.netty.util.Timeout;

import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;

/**
 * A call written to a connection and awaiting its response.
 *
 * <p>Thread-safe: whichever of response, timeout or connection loss removes it from the
 * pending map first completes it; the others find nothing to do.
 */
final class PendingCall {

    final CompletableFuture<RpcResponse> future;
    final Type valueType;
    /** Whether the caller takes the result as a future rather than blocking for it. */
    final boolean asyncCaller;
    volatile Timeout timeout;

    PendingCall(CompletableFuture<RpcResponse> future, Type valueType, boolean asyncCaller) {
        this.future = future;
        this.valueType = valueType;
        this.asyncCaller = asyncCaller;
    }

    void cancelTimeout() {
        Timeout t = timeout;
        if (t != null) {
            t.cancel();
        }
    }
}
