package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;
import io.courier.rpc.observation.ObservationClientInterceptor;
import io.courier.rpc.observation.ObservationServerInterceptor;
import io.courier.rpc.observation.RpcClientObservationConvention;
import io.courier.rpc.observation.RpcServerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Metrics and tracing of Courier calls through Micrometer's Observation API, when the application
 * has an {@link ObservationRegistry} bean (Spring Boot creates one with Actuator or
 * {@code spring-boot-micrometer-observation}). Switch it off with
 * {@code courier.rpc.observation.enabled=false}.
 *
 * <p>Adds an {@link ObservationServerInterceptor} and an {@link ObservationClientInterceptor},
 * ordered {@value #OBSERVATION_ORDER} so that they are the outermost interceptors: a timer
 * ({@code courier.rpc.server}, {@code courier.rpc.client}) per service, method and status covers
 * every other interceptor, and with a tracer (Micrometer Tracing with Brave or OpenTelemetry) the
 * trace context travels with the call's attachments, so provider spans join the consumer's trace.
 *
 * <p>A single {@link RpcServerObservationConvention} or {@link RpcClientObservationConvention}
 * bean replaces the default names and keys of that side; {@code GlobalObservationConvention}
 * beans, which Spring Boot registers with the {@link ObservationRegistry}, apply too.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({RpcServer.class, ObservationRegistry.class})
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "courier.rpc.observation.enabled", matchIfMissing = true)
public final class CourierRpcObservationAutoConfiguration {

    /** Order of the observation interceptors: before every other interceptor. */
    public static final int OBSERVATION_ORDER = Ordered.HIGHEST_PRECEDENCE;

    @Bean
    @Order(OBSERVATION_ORDER)
    @ConditionalOnMissingBean
    ObservationServerInterceptor courierObservationServerInterceptor(ObservationRegistry registry,
            ObjectProvider<RpcServerObservationConvention> convention) {
        return new ObservationServerInterceptor(registry, convention.getIfUnique());
    }

    @Bean
    @Order(OBSERVATION_ORDER)
    @ConditionalOnMissingBean
    ObservationClientInterceptor courierObservationClientInterceptor(ObservationRegistry registry,
            ObjectProvider<RpcClientObservationConvention> convention) {
        return new ObservationClientInterceptor(registry, convention.getIfUnique());
    }
}
