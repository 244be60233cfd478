package io.courier.rpc.interceptor;

import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;

import java.util.concurrent.CompletableFuture;

/**
 * Observes, changes or short-circuits calls a provider serves.
 *
 * <p>Implementations must be thread-safe. {@link #intercept} runs on the business thread that
 * serves the call, after its arguments are decoded and with {@link io.courier.rpc.RpcContext}
 * bound (caller attachments, remote address, deadline, and the caller's
 * {@link io.courier.rpc.RpcContext#principal() principal} when the server authenticates). The
 * caller's credentials are not among the attachments: the server consumed them before dispatch. It may block as business code may, but
 * should decorate async outcomes with future composition. A business exception is a normal
 * {@link RpcResponse} with {@link RpcResponse#exception()} set; completing the future
 * exceptionally with an {@link io.courier.rpc.RpcException} answers with its status code.
 * Checks that must refuse calls before they reach the business executor (rate and concurrency
 * limits) are {@link AdmissionControl}s instead.
 */
@FunctionalInterface
public interface ServerInterceptor {

    /** Handles one call: usually {@code return chain.proceed(chain.request())}, possibly decorated. */
    CompletableFuture<RpcResponse> intercept(Chain chain);

    /** Whether this interceptor takes part in calls to {@code method}; asked once per method at export. */
    default boolean appliesTo(MethodMetadata method) {
        return true;
    }

    /** The rest of the chain, for one call. */
    interface Chain {

        /** Returns the call as it reached this interceptor. */
        RpcRequest request();

        /** Passes a (possibly changed) request to the next interceptor, or to the service method. */
        CompletableFuture<RpcResponse> proceed(RpcRequest request);
    }
}
