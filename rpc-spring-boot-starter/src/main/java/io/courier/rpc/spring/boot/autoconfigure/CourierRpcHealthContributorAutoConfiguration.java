package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.registry.Registry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Courier's health indicators, when Spring Boot's health support is on the
 * classpath: {@code courier} (the server, when the application runs one), {@code courierRegistry}
 * (the registry, when there is one) and {@code courierReferences} (whether every referenced
 * service has a provider). Disable them with {@code management.health.courier.enabled=false}.
 */
@AutoConfiguration(after = CourierRpcAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, RpcServer.class})
@ConditionalOnEnabledHealthIndicator("courier")
public final class CourierRpcHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnBean(RpcServer.class)
    @ConditionalOnMissingBean(name = "courierHealthIndicator")
    CourierRpcHealthIndicator courierHealthIndicator(RpcServer server) {
        return new CourierRpcHealthIndicator(server);
    }

    /**
     * The registry's health, or none (a {@code null} bean, which Actuator skips) when there is no
     * registry: whether there is one is decided at runtime (see
     * {@link CourierRpcAutoConfiguration}), so this bean is always defined.
     */
    @Bean
    @ConditionalOnMissingBean(name = "courierRegistryHealthIndicator")
    CourierRpcRegistryHealthIndicator courierRegistryHealthIndicator(ObjectProvider<Registry> registry) {
        Registry available = registry.getIfAvailable();
        return available != null ? new CourierRpcRegistryHealthIndicator(available) : null;
    }

    @Bean
    @ConditionalOnBean(RpcReferenceFactory.class)
    @ConditionalOnMissingBean(name = "courierReferencesHealthIndicator")
    CourierRpcReferencesHealthIndicator courierReferencesHealthIndicator(RpcClient client) {
        return new CourierRpcReferencesHealthIndicator(client);
    }
}
