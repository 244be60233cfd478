package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.interceptor.RateLimit;
import io.courier.rpc.spring.RpcReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@code courier.rpc.server.rate-limits}, {@code courier.rpc.server.concurrency-limits} and
 * {@code courier.rpc.consumer.rate-limits} are bound, resolved to interfaces and checked.
 */
class CourierRpcLimitsTests {

    private static final String ECHO = EchoService.class.getName();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class))
            .withPropertyValues("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0");

    @Test
    void noLimitsByDefault() {
        runner.withUserConfiguration(EchoProvider.class).run(context -> {
            CourierRpcLimits.Limits limits = context.getBean(CourierRpcLimits.class).limits();
            assertThat(limits.serverRateLimits()).isEmpty();
            assertThat(limits.serverConcurrencyLimits()).isEmpty();
            assertThat(limits.consumerRateLimits()).isEmpty();
        });
    }

    @Test
    void serverLimitsResolveSimpleNamesAgainstExportedServices() {
        runner.withUserConfiguration(EchoProvider.class).withPropertyValues(
                "courier.rpc.server.rate-limits.EchoService.rate=100",
                "courier.rpc.server.rate-limits.EchoService.methods.echo.rate=0.5",
                "courier.rpc.server.rate-limits.EchoService.methods.echo.burst=3",
                "courier.rpc.server.concurrency-limits.EchoService.max=50",
                "courier.rpc.server.concurrency-limits.EchoService.methods.hold.max=2").run(context -> {
                    CourierRpcLimits.Limits limits = context.getBean(CourierRpcLimits.class).limits();
                    assertThat(limits.serverRateLimits()).containsExactly(
                            Map.entry(ECHO, new RateLimit(100, 100)), Map.entry(ECHO + "#echo", new RateLimit(0.5, 3)));
                    assertThat(limits.serverConcurrencyLimits())
                            .containsExactly(Map.entry(ECHO, 50), Map.entry(ECHO + "#hold", 2));
                });
    }

    @Test
    void qualifiedKeyWinsOverSimpleName() {
        runner.withUserConfiguration(EchoProvider.class).withPropertyValues(
                "courier.rpc.server.rate-limits.EchoService.rate=1",
                "courier.rpc.server.rate-limits[" + ECHO + "].rate=2").run(context -> assertThat(
                context.getBean(CourierRpcLimits.class).limits().serverRateLimits())
                .containsExactly(Map.entry(ECHO, new RateLimit(2, 2))));
    }

    @Test
    void consumerLimitsResolveAgainstReferences() {
        runner.withUserConfiguration(EchoClient.class).withPropertyValues(
                "courier.rpc.registry.address=direct://127.0.0.1:1",
                "courier.rpc.consumer.rate-limits.EchoService.rate=10",
                "courier.rpc.consumer.rate-limits.EchoService.burst=20",
                "courier.rpc.consumer.rate-limits.ClockService.rate=5").run(context -> {
                    assertThat(context).hasNotFailed();
                    // ClockService is referenced by nothing: only reported in the log.
                    assertThat(context.getBean(CourierRpcLimits.class).limits().consumerRateLimits())
                            .containsExactly(Map.entry(ECHO, new RateLimit(10, 20)));
                });
    }

    @Test
    void consumerLimitsMeetReferencesMadeOnTheClientAtTheNextRefresh() {
        runner.withPropertyValues("courier.rpc.registry.address=direct://127.0.0.1:1",
                "courier.rpc.consumer.rate-limits.EchoService.rate=10").run(context -> {
                    CourierRpcLimits limits = context.getBean(CourierRpcLimits.class);
                    assertThat(limits.limits().consumerRateLimits()).isEmpty();

                    context.getBean(RpcClient.class).reference(ReferenceConfig.builder(EchoService.class).build());
                    assertThat(limits.refresh().consumerRateLimits())
                            .containsExactly(Map.entry(ECHO, new RateLimit(10, 10)));
                });
    }

    @Test
    void refreshRereadsTheEnvironment() {
        Map<String, Object> source = new LinkedHashMap<>(Map.of("courier.rpc.server.rate-limits.EchoService.rate", "1"));
        runner.withUserConfiguration(EchoProvider.class)
                .withInitializer(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("limits", source)))
                .run(context -> {
                    CourierRpcLimits limits = context.getBean(CourierRpcLimits.class);
                    assertThat(limits.limits().serverRateLimits()).containsOnlyKeys(ECHO);

                    source.put("courier.rpc.server.rate-limits.EchoService.methods.echo.rate", "7");
                    source.put("courier.rpc.server.concurrency-limits.EchoService.max", "3");
                    assertThat(limits.refresh().serverRateLimits()).containsEntry(ECHO + "#echo", new RateLimit(7, 7));
                    assertThat(limits.limits().serverConcurrencyLimits()).containsExactly(Map.entry(ECHO, 3));

                    // A bad value changes nothing.
                    source.put("courier.rpc.server.rate-limits.EchoService.rate", "0");
                    assertThatThrownBy(limits::refresh).isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("courier.rpc.server.rate-limits.EchoService.rate: 0.0 (expected: > 0)");
                    assertThat(limits.limits().serverRateLimits()).containsEntry(ECHO, new RateLimit(1, 1));

                    source.clear();
                    assertThat(limits.refresh().serverRateLimits()).isEmpty();
                });
    }

    // ---- bad values fail startup naming the property ----------------------------------------

    @Test
    void zeroRateFails() {
        assertFailsWith(provider("courier.rpc.server.rate-limits.EchoService.rate=0"),
                "courier.rpc.server.rate-limits.EchoService.rate",
                "courier.rpc.server.rate-limits.EchoService.rate: 0.0 (expected: > 0)");
    }

    @Test
    void zeroBurstFails() {
        assertFailsWith(provider("courier.rpc.server.rate-limits.EchoService.methods.echo.rate=5",
                "courier.rpc.server.rate-limits.EchoService.methods.echo.burst=0"),
                "courier.rpc.server.rate-limits.EchoService.methods.echo.burst",
                "courier.rpc.server.rate-limits.EchoService.methods.echo.burst: 0 (expected: >= 1)");
    }

    @Test
    void burstWithoutRateFails() {
        assertFailsWith(provider("courier.rpc.consumer.rate-limits.EchoService.burst=5"),
                "courier.rpc.consumer.rate-limits.EchoService.burst",
                "courier.rpc.consumer.rate-limits.EchoService.burst: 5 (expected: a rate beside it");
    }

    @Test
    void zeroConcurrencyFails() {
        assertFailsWith(provider("courier.rpc.server.concurrency-limits.EchoService.methods.hold.max=0"),
                "courier.rpc.server.concurrency-limits.EchoService.methods.hold.max",
                "courier.rpc.server.concurrency-limits.EchoService.methods.hold.max: 0 (expected: >= 1)");
    }

    @Test
    void unknownSettingFails() {
        assertFailsWith(provider("courier.rpc.server.rate-limits.EchoService.rte=5"),
                "courier.rpc.server.rate-limits.EchoService.rte", "unknown setting");
        assertFailsWith(provider("courier.rpc.server.concurrency-limits.EchoService.methods.hold.rate=5"),
                "courier.rpc.server.concurrency-limits.EchoService.methods.hold.rate", "unknown setting");
        // What YAML makes of an unquoted, unbracketed qualified key.
        assertFailsWith(provider("courier.rpc.server.rate-limits.io.courier.EchoService.rate=5"),
                "courier.rpc.server.rate-limits.io.courier.EchoService.rate", "in YAML quoted");
    }

    @Test
    void serverLimitOfAServiceNotExportedFails() {
        assertFailsWith(provider("courier.rpc.server.rate-limits.UserService.rate=5"),
                "courier.rpc.server.rate-limits.UserService",
                "courier.rpc.server.rate-limits.UserService: UserService (expected: a service this application exports: "
                        + "EchoService or [" + ECHO + "])");
        assertFailsWith(provider("courier.rpc.server.concurrency-limits[" + ClockService.class.getName() + "].max=5"),
                "courier.rpc.server.concurrency-limits[" + ClockService.class.getName() + "]", "a service this application exports");
    }

    @Test
    void limitOfAnUnknownMethodFails() {
        assertFailsWith(provider("courier.rpc.server.rate-limits.EchoService.methods.ech.rate=5"),
                "courier.rpc.server.rate-limits.EchoService.methods.ech",
                "courier.rpc.server.rate-limits.EchoService.methods.ech: ech (expected: a method of " + ECHO);
        assertFailsWith(runner.withPropertyValues("courier.rpc.consumer.rate-limits[" + ECHO + "].methods.ech.rate=5"),
                "courier.rpc.consumer.rate-limits[" + ECHO + "].methods.ech", "(expected: a method of " + ECHO);
        assertFailsWith(runner.withUserConfiguration(EchoClient.class).withPropertyValues(
                "courier.rpc.registry.address=direct://127.0.0.1:1",
                "courier.rpc.consumer.rate-limits.EchoService.methods.ech.rate=5"),
                "courier.rpc.consumer.rate-limits.EchoService.methods.ech", "(expected: a method of " + ECHO);
    }

    @Test
    void qualifiedKeyMustNameAnInterface() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.consumer.rate-limits[com.acme.Missing].rate=5"),
                "courier.rpc.consumer.rate-limits[com.acme.Missing]", "a service interface on the classpath");
        assertFailsWith(runner.withPropertyValues("courier.rpc.consumer.rate-limits[java.lang.String].rate=5"),
                "courier.rpc.consumer.rate-limits[java.lang.String]", "(expected: an interface)");
    }

    private ApplicationContextRunner provider(String... properties) {
        return runner.withUserConfiguration(EchoProvider.class).withPropertyValues(properties);
    }

    private static void assertFailsWith(ApplicationContextRunner runner, String property, String message) {
        runner.run(context -> {
            assertThat(context).hasFailed();
            InvalidConfigurationPropertyValueException e = RpcReferenceInjectionTests.find(context.getStartupFailure(),
                    InvalidConfigurationPropertyValueException.class);
            assertThat(e).hasMessageContaining(message);
            assertThat(e.getName()).isEqualTo(property);
        });
    }

    @Configuration(proxyBeanMethods = false)
    @Import(Echo.class)
    static class EchoProvider {
    }

    @Component
    static class EchoClient {
        @RpcReference
        EchoService echo;
    }
}
