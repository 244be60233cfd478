package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Gauges of the load on Courier's server and client, when the application has a
 * {@link MeterRegistry} bean (Spring Boot creates one with Actuator or
 * {@code spring-boot-micrometer-metrics}, and binds every {@link MeterBinder} bean to it):
 * {@code courier.rpc.server.connections}, {@code courier.rpc.server.calls.active},
 * {@code courier.rpc.server.queue.size} and {@code courier.rpc.client.connections}. Timers per
 * call come from {@link CourierRpcObservationAutoConfiguration}. Switch a gauge off with Boot's
 * meter filter property, e.g. {@code management.metrics.enable.courier.rpc.server.queue.size=false}.
 */
@AutoConfiguration(after = CourierRpcAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({RpcServer.class, MeterBinder.class})
@ConditionalOnBean(MeterRegistry.class)
public final class CourierRpcMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "courierRpcMeterBinder")
    MeterBinder courierRpcMeterBinder(ObjectProvider<RpcServer> server, ObjectProvider<RpcClient> client) {
        return new CourierRpcMeterBinder(server, client);
    }
}
