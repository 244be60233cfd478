package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code courier} Actuator endpoint, when Actuator is on the classpath
 * and the endpoint is exposed (e.g. {@code management.endpoints.web.exposure.include=health,courier}).
 */
@AutoConfiguration(after = CourierRpcAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class, RpcServer.class})
public final class CourierRpcEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    CourierRpcEndpoint courierRpcEndpoint(ObjectProvider<RpcServer> server, ObjectProvider<RpcReferenceFactory> references,
            ObjectProvider<CourierRpcLimits> limits) {
        return new CourierRpcEndpoint(server.getIfAvailable(), references.getIfAvailable(), limits.getIfAvailable());
    }
}
