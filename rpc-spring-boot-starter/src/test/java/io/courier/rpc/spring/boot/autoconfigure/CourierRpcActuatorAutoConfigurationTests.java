package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ServerOptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Conditions of the {@code courier} health indicator and Actuator endpoint. */
class CourierRpcActuatorAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class,
                    CourierRpcHealthContributorAutoConfiguration.class, CourierRpcEndpointAutoConfiguration.class))
            .withPropertyValues("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0");

    @Test
    void healthIndicatorOnProvider() {
        runner.withUserConfiguration(EchoProvider.class).run(context -> {
            assertThat(context).hasBean("courierHealthIndicator");
            CourierRpcHealthIndicator health = context.getBean(CourierRpcHealthIndicator.class);
            assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
            assertThat(health.health(true).getDetails()).containsKeys("address", "services", "connections", "inFlight");
        });
    }

    @Test
    void noHealthIndicatorWithoutServer() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CourierRpcHealthIndicator.class));
    }

    @Test
    void healthIndicatorCanBeDisabled() {
        runner.withUserConfiguration(EchoProvider.class).withPropertyValues("management.health.courier.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CourierRpcHealthIndicator.class));
    }

    @Test
    void noHealthIndicatorWithoutHealthSupport() {
        runner.withUserConfiguration(EchoProvider.class).withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CourierRpcHealthIndicator.class)
                        .hasSingleBean(RpcServer.class));
    }

    @Test
    void healthIsDownWhenServerIsNotRunning() {
        RpcServer server = RpcServer.builder().options(ServerOptions.builder().port(0).build()).build();
        assertThat(new CourierRpcHealthIndicator(server).health(true).getStatus()).isEqualTo(Status.DOWN);
        server.close();
    }

    @Test
    void endpointWhenExposed() {
        runner.withUserConfiguration(EchoProvider.class)
                .withPropertyValues("management.endpoints.web.exposure.include=courier").run(context -> {
                    assertThat(context).hasSingleBean(CourierRpcEndpoint.class);
                    CourierRpcEndpoint.CourierDescriptor d = context.getBean(CourierRpcEndpoint.class).courier();
                    assertThat(d.server().running()).isTrue();
                    assertThat(d.server().services()).containsOnlyKeys(EchoService.class.getName());
                    assertThat(d.consumers()).isEmpty();
                    assertThat(d.limits().serverRateLimits()).isEmpty();
                });
    }

    @Test
    void endpointShowsAndRefreshesLimits() {
        runner.withUserConfiguration(EchoProvider.class).withPropertyValues(
                "management.endpoints.web.exposure.include=courier",
                "courier.rpc.server.concurrency-limits.EchoService.max=8").run(context -> {
                    CourierRpcEndpoint endpoint = context.getBean(CourierRpcEndpoint.class);
                    assertThat(endpoint.courier().limits().serverConcurrencyLimits())
                            .containsExactly(Map.entry(EchoService.class.getName(), 8));
                    CourierRpcEndpoint.LimitsRefresh refresh = endpoint.refreshLimits();
                    assertThat(refresh.refreshed()).isTrue();
                    assertThat(refresh.error()).isNull();
                    assertThat(refresh.limits()).isEqualTo(endpoint.courier().limits());
                });
    }

    @Test
    void endpointOnConsumerOnlyApplication() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=courier").run(context -> {
            CourierRpcEndpoint.CourierDescriptor d = context.getBean(CourierRpcEndpoint.class).courier();
            assertThat(d.server()).isNull();
            assertThat(d.consumers()).isEmpty();
        });
    }

    @Test
    void noEndpointUnlessExposed() {
        runner.withUserConfiguration(EchoProvider.class)
                .run(context -> assertThat(context).doesNotHaveBean(CourierRpcEndpoint.class));
    }

    @Test
    void noEndpointWithoutActuator() {
        runner.withUserConfiguration(EchoProvider.class).withClassLoader(new FilteredClassLoader(Endpoint.class))
                .withPropertyValues("management.endpoints.web.exposure.include=courier")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CourierRpcEndpoint.class));
    }

    @Configuration(proxyBeanMethods = false)
    @Import(Echo.class)
    static class EchoProvider {
    }
}
