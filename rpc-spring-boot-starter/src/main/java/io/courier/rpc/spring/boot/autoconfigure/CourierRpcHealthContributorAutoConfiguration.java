package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code courier} health indicator, when Spring Boot's health support
 * is on the classpath and this application runs a Courier server. Disable it with
 * {@code management.health.courier.enabled=false}.
 */
@AutoConfiguration(after = CourierRpcAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, RpcServer.class})
@ConditionalOnBean(RpcServer.class)
@ConditionalOnEnabledHealthIndicator("courier")
public final class CourierRpcHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "courierHealthIndicator")
    CourierRpcHealthIndicator courierHealthIndicator(RpcServer server) {
        return new CourierRpcHealthIndicator(server);
    }
}
