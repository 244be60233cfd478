package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
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

    /**
     * Hides the registry's secrets in the {@code env} and {@code configprops} endpoints, also when
     * they are set to show values: every {@code courier.rpc.registry.*password} and the user
     * info password of {@code courier.rpc.registry.address}.
     */
    @Bean
    @ConditionalOnMissingBean(name = "courierRegistrySanitizingFunction")
    SanitizingFunction courierRegistrySanitizingFunction() {
        return data -> {
            // Relaxed: courier.rpc.registry.ssl.key-store-password as well as COURIER_RPC_REGISTRY_PASSWORD.
            String key = data.getLowerCaseKey().replaceAll("[._\\-]", "");
            if (!key.startsWith("courierrpcregistry") || data.getValue() == null) {
                return data;
            }
            if (key.endsWith("password")) {
                return data.withSanitizedValue();
            }
            if (key.equals("courierrpcregistryaddress")) {
                return data.withValue(RegistryAddresses.redact(String.valueOf(data.getValue())));
            }
            return data;
        };
    }
}
