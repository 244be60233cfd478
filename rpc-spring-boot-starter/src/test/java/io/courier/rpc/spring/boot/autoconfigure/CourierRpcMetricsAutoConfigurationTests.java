package io.courier.rpc.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Conditions and back-off of {@link CourierRpcMetricsAutoConfiguration}. */
class CourierRpcMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class,
                    CourierRpcMetricsAutoConfiguration.class))
            .withPropertyValues("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0");

    @Test
    void serverAndClientGaugesWhenThereIsAMeterRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).withBean(Echo.class).run(context -> {
            MeterRegistry meters = new SimpleMeterRegistry();
            context.getBean("courierRpcMeterBinder", MeterBinder.class).bindTo(meters);
            assertThat(meters.get(CourierRpcMeterBinder.SERVER_CONNECTIONS).gauge().value()).isZero();
            assertThat(meters.get(CourierRpcMeterBinder.SERVER_ACTIVE_CALLS).gauge().value()).isZero();
            assertThat(meters.get(CourierRpcMeterBinder.SERVER_QUEUE_SIZE).gauge().value()).isZero();
            assertThat(meters.get(CourierRpcMeterBinder.CLIENT_CONNECTIONS).gauge().value()).isZero();
            assertThat(meters.get(CourierRpcMeterBinder.CLIENT_EJECTED_ENDPOINTS).gauge().value()).isZero();
        });
    }

    @Test
    void onlyClientGaugesWithoutAServer() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            MeterRegistry meters = new SimpleMeterRegistry();
            context.getBean(MeterBinder.class).bindTo(meters);
            assertThat(meters.find(CourierRpcMeterBinder.SERVER_CONNECTIONS).gauge()).isNull();
            assertThat(meters.find(CourierRpcMeterBinder.CLIENT_CONNECTIONS).gauge()).isNotNull();
        });
    }

    @Test
    void noGaugesWithoutAMeterRegistry() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MeterBinder.class));
    }

    @Test
    void noGaugesWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("courierRpcMeterBinder"));
    }

    @Test
    void userBinderOfTheSameNameReplacesIt() {
        MeterBinder mine = registry -> { };
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean("courierRpcMeterBinder", MeterBinder.class, () -> mine)
                .run(context -> assertThat(context).getBean(MeterBinder.class).isSameAs(mine));
    }
}
