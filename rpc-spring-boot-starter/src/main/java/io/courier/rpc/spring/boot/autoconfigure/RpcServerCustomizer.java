package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;

/**
 * Callback to customize the {@link RpcServer.Builder} of the auto-configured server, after
 * {@code courier.rpc.server.*} properties and {@code @RpcService} beans have been applied.
 *
 * <p>Implementations are beans; they are called in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface RpcServerCustomizer {

    /** Customizes the builder. */
    void customize(RpcServer.Builder builder);
}
