package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.RpcErrorCode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * Rate and concurrency limits from {@code application.yml}, over real sockets: outcomes are
 * counted, never timed. Rates are tiny (one call per 100 s) so that no token comes back during a
 * test; each count is the burst.
 */
class LimitsIntegrationTests {

    private static final String LIMITS = "courier.rpc.server.rate-limits.EchoService";

    @Test
    void serverAnswersRateLimitedAboveTheBurstWithoutUsingTheExecutor() {
        Map<String, Object> limits = Map.of(LIMITS + ".rate", "0.01", LIMITS + ".burst", "3");
        try (ConfigurableApplicationContext provider = provider(limits);
                RpcClient client = RpcClient.builder().build()) {
            EchoService echo = reference(client, provider);
            assertThat(outcomes(10, () -> echo.echo("x"))).containsExactly(entry("OK", 3), entry("RATE_LIMITED", 7));
            assertThat(provider.getBean(Echo.class).echoes).hasValue(3);
            assertThat(provider.getBean(CountingExecutor.class).executed).hasValue(3);
        }
    }

    @Test
    void serverAnswersServerBusyAboveTheConcurrencyLimit() {
        Map<String, Object> limits = Map.of("courier.rpc.server.concurrency-limits.EchoService.methods.hold.max", "1");
        try (ConfigurableApplicationContext provider = provider(limits);
                RpcClient client = RpcClient.builder().build()) {
            EchoService echo = reference(client, provider);
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> echo.hold("first"));
            await().atMost(Duration.ofSeconds(10)).until(() -> provider.getBean(RpcServer.class).inFlightCount() == 1);

            assertThat(outcomes(3, () -> echo.hold("second"))).containsExactly(entry("SERVER_BUSY", 3));
            assertThat(echo.echo("other method")).isEqualTo("echo:other method");

            provider.getBean(Echo.class).release.countDown();
            assertThat(first).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("held:first");
            assertThat(echo.hold("third")).isEqualTo("held:third");
        }
    }

    @Test
    void consumerRateLimitRefusesCallsWithoutSendingThem() {
        try (ConfigurableApplicationContext provider = provider(Map.of());
                ConfigurableApplicationContext consumer = ProviderConsumerIntegrationTests.consumer(
                        "direct://127.0.0.1:" + provider.getBean(RpcServer.class).address().getPort(),
                        "courier.rpc.consumer.retries=0",
                        "courier.rpc.consumer.rate-limits.EchoService.methods.echo.rate=0.01",
                        "courier.rpc.consumer.rate-limits.EchoService.methods.echo.burst=2")) {
            EchoService remote = consumer.getBean(TestApplications.EchoCaller.class).echo;
            assertThat(outcomes(5, () -> remote.echo("x"))).containsExactly(entry("OK", 2), entry("RATE_LIMITED", 3));
            assertThat(provider.getBean(Echo.class).echoes).hasValue(2);
            assertThat(remote.threadName()).startsWith("counted-worker");
        }
    }

    @Test
    void limitsFollowThePropertiesWhenRefreshed() {
        Map<String, Object> limits = new ConcurrentHashMap<>(Map.of(LIMITS + ".rate", "0.01", LIMITS + ".burst", "2"));
        try (ConfigurableApplicationContext provider = provider(limits,
                "management.endpoints.web.exposure.include=courier");
                RpcClient client = RpcClient.builder().build()) {
            EchoService echo = reference(client, provider);
            assertThat(outcomes(4, () -> echo.echo("x"))).containsExactly(entry("OK", 2), entry("RATE_LIMITED", 2));

            // Programmatic refresh: a method limit has a bucket of its own; the service's stays empty.
            limits.put(LIMITS + ".methods.echo.rate", "0.01");
            limits.put(LIMITS + ".methods.echo.burst", "3");
            provider.getBean(CourierRpcLimits.class).refresh();
            assertThat(outcomes(5, () -> echo.echo("x"))).containsExactly(entry("OK", 3), entry("RATE_LIMITED", 2));
            assertThat(outcomes(1, echo::threadName)).containsExactly(entry("RATE_LIMITED", 1));

            // Spring Cloud's refresh announces the changed keys; other keys leave the limits alone.
            limits.put(LIMITS + ".methods.threadName.rate", "0.01");
            limits.put(LIMITS + ".methods.threadName.burst", "1");
            provider.publishEvent(new EnvironmentChangeEvent(provider, Set.of("spring.application.name")));
            assertThat(outcomes(1, echo::threadName)).containsExactly(entry("RATE_LIMITED", 1));
            provider.publishEvent(new EnvironmentChangeEvent(provider, Set.of(LIMITS + ".methods.threadName.rate")));
            assertThat(outcomes(3, echo::threadName)).containsExactly(entry("OK", 1), entry("RATE_LIMITED", 2));

            // The Actuator endpoint's write operation; without limits every call passes.
            limits.clear();
            CourierRpcEndpoint endpoint = provider.getBean(CourierRpcEndpoint.class);
            CourierRpcEndpoint.LimitsRefresh refreshed = endpoint.refreshLimits();
            assertThat(refreshed.refreshed()).isTrue();
            assertThat(refreshed.limits().serverRateLimits()).isEmpty();
            assertThat(outcomes(5, () -> echo.echo("x"))).containsExactly(entry("OK", 5));

            // A bad value is refused and changes nothing, whichever way the refresh comes.
            limits.put(LIMITS + ".rate", "-1");
            refreshed = endpoint.refreshLimits();
            assertThat(refreshed.refreshed()).isFalse();
            assertThat(refreshed.error()).contains(LIMITS + ".rate: -1.0 (expected: > 0)");
            provider.publishEvent(new EnvironmentChangeEvent(provider, Set.of(LIMITS + ".rate")));
            assertThat(endpoint.courier().limits().serverRateLimits()).isEmpty();
            assertThat(outcomes(5, () -> echo.echo("x"))).containsExactly(entry("OK", 5));
        }
    }

    /** Makes {@code n} calls one after the other and counts their outcomes by status. */
    private static Map<String, Integer> outcomes(int n, Supplier<?> call) {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String outcome;
            try {
                call.get();
                outcome = RpcErrorCode.OK.name();
            } catch (RpcException e) {
                outcome = e.code().name();
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        return outcomes;
    }

    private static EchoService reference(RpcClient client, ConfigurableApplicationContext provider) {
        return client.reference(ReferenceConfig.builder(EchoService.class)
                .address("127.0.0.1:" + provider.getBean(RpcServer.class).address().getPort())
                .timeout(Duration.ofSeconds(30)).retries(0).build());
    }

    /** Starts a provider whose first property source is {@code limits}, which the test may change. */
    private static ConfigurableApplicationContext provider(Map<String, Object> limits, String... properties) {
        return new SpringApplicationBuilder(LimitedProvider.class).web(WebApplicationType.NONE)
                .properties("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0",
                        "spring.main.banner-mode=off")
                .properties(properties)
                .initializers(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("test-limits", limits)))
                .run();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({Echo.class, CountingExecutor.class})
    static class LimitedProvider {
    }

    /** Runs service methods and counts them: refused calls must never get here. */
    static class CountingExecutor {

        final AtomicInteger executed = new AtomicInteger();

        @Bean(name = CourierRpcAutoConfiguration.EXECUTOR_BEAN_NAME, destroyMethod = "shutdownNow")
        ExecutorService courierRpcExecutor() {
            AtomicInteger threads = new AtomicInteger();
            return new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(16), r -> {
                Thread t = new Thread(r, "counted-worker-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            }) {
                @Override
                public void execute(Runnable command) {
                    executed.incrementAndGet();
                    super.execute(command);
                }
            };
        }
    }
}
