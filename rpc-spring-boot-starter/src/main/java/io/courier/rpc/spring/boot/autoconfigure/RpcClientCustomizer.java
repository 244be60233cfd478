package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;

/**
 * Callback to customize the {@link RpcClient.Builder} of the auto-configured client, after
 * {@code courier.rpc.consumer.*} properties have been applied; for example to set a callback
 * executor for {@code CompletableFuture} results.
 *
 * <p>Implementations are beans; they are called in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface RpcClientCustomizer {

    /** Customizes the builder. */
    void customize(RpcClient.Builder builder);
}
