package io.courier.rpc.interceptor;

import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;

import java.util.concurrent.CompletableFuture;

/**
 * Observes, changes or short-circuits calls a consumer makes, in the style of OkHttp's
 * interceptors.
 *
 * <pre>{@code
 * ClientInterceptor tenant = chain -> chain.proceed(
 *         chain.request().withAttachments(Map.of("tenant", currentTenant())));
 * }</pre>
 *
 * <p>Implementations must be thread-safe. {@link #intercept} runs on the calling thread for the
 * same call whether the method is sync or async; it must not block, and it decorates the
 * outcome with future composition ({@code thenApply}, {@code whenComplete}) rather than by
 * waiting. Framework failures (timeouts, lost connections, limits) complete the future
 * exceptionally with an {@link io.courier.rpc.RpcException}; a business exception is a normal
 * {@link RpcResponse} whose {@link RpcResponse#exception()} is set. A call's
 * {@link io.courier.rpc.auth.CallCredentials} are added after the last interceptor, so no
 * interceptor sees the token.
 */
@FunctionalInterface
public interface ClientInterceptor {

    /** Handles one call: usually {@code return chain.proceed(chain.request())}, possibly decorated. */
    CompletableFuture<RpcResponse> intercept(Chain chain);

    /**
     * Whether this interceptor takes part in calls to {@code method}. Asked once per method when
     * a proxy is created, so the per-call chain holds only interceptors that apply.
     */
    default boolean appliesTo(MethodMetadata method) {
        return true;
    }

    /** The rest of the chain, for one call. Not thread-safe beyond that call. */
    interface Chain {

        /** Returns the call as it reached this interceptor. */
        RpcRequest request();

        /** Passes a (possibly changed) request to the next interceptor, or sends it. */
        CompletableFuture<RpcResponse> proceed(RpcRequest request);
    }
}
