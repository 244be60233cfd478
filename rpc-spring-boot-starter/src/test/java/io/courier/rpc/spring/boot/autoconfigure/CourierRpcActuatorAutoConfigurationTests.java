package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.registry.RegistryHealth;
import io.courier.rpc.test.InMemoryRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
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
    void registryHealthAndReadinessWithdrawal() {
        InMemoryRegistry registry = new InMemoryRegistry();
        ServiceKey echo = ServiceKey.of(EchoService.class, "", "");
        runner.withUserConfiguration(EchoProvider.class).withBean(Registry.class, () -> registry).run(context -> {
            CourierRpcRegistryHealthIndicator health = context.getBean(CourierRpcRegistryHealthIndicator.class);
            assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
            assertThat(health.health(true).getDetails()).containsEntry("state", RegistryHealth.State.CONNECTED);
            assertThat(registry.providers(echo)).hasSize(1);

            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            assertThat(registry.providers(echo)).isEmpty();
            assertThat(context.getBean(RpcServer.class).isWithdrawn()).isTrue();
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(registry.providers(echo)).hasSize(1);
        });
    }

    @Test
    void noRegistryHealthWithoutRegistry() {
        runner.withUserConfiguration(EchoProvider.class).run(context -> {
            assertThat(context.getBeansOfType(HealthIndicator.class)).containsKey("courierHealthIndicator")
                    .doesNotContainKey("courierRegistryHealthIndicator");
            assertThat(context.getBeanProvider(CourierRpcRegistryHealthIndicator.class).getIfAvailable()).isNull();
        });
        runner.withUserConfiguration(EchoProvider.class).withPropertyValues("courier.rpc.registry.address=direct://127.0.0.1:7070")
                .run(context -> assertThat(context.getBeansOfType(HealthIndicator.class))
                        .containsKey("courierRegistryHealthIndicator"));
    }

    @Test
    void referencesHealthIsDownWhileAServiceHasNoProvider() {
        InMemoryRegistry registry = new InMemoryRegistry();
        runner.withUserConfiguration(TestApplications.EchoCaller.class).withBean(Registry.class, () -> registry)
                .run(context -> {
                    CourierRpcReferencesHealthIndicator health = context.getBean(CourierRpcReferencesHealthIndicator.class);
                    assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.health(true).getDetails()).containsKey("withoutProvider");
                    registry.register(ProviderInstance.of(ServiceKey.of(EchoService.class, "", ""), "127.0.0.1", 1));
                    assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
                    assertThat(health.health(true).getDetails()).containsEntry("ejected", Map.of());
                });
    }

    @Test
    void endpointShowsEachReferencesProvidersAndAttemptTimeout() {
        InMemoryRegistry registry = new InMemoryRegistry();
        registry.register(ProviderInstance.of(ServiceKey.of(EchoService.class, "", ""), "127.0.0.1", 1));
        runner.withUserConfiguration(TestApplications.EchoCaller.class).withBean(Registry.class, () -> registry)
                .withPropertyValues("management.endpoints.web.exposure.include=courier",
                        "courier.rpc.consumer.attempt-timeout=250ms").run(context -> {
                    CourierRpcEndpoint.ConsumerDescriptor consumer =
                            context.getBean(CourierRpcEndpoint.class).courier().consumers().get(0);
                    assertThat(consumer.attemptTimeout()).isEqualTo("PT0.25S");
                    assertThat(consumer.endpoints()).singleElement().satisfies(status -> {
                        assertThat(status.address()).isEqualTo("127.0.0.1:1");
                        assertThat(status.ejected()).isFalse();
                        assertThat(status.ejectedUntil()).isNull();
                    });
                });
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
