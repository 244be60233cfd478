package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcServer;
import io.courier.rpc.cluster.ClusterMode;
import io.courier.rpc.cluster.LoadBalancers;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.spring.RpcReference;
import io.courier.rpc.test.InMemoryRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.courier.rpc.spring.boot.autoconfigure.BindFailures.assertBindFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RpcReference} on fields, setters, constructor and {@code @Bean} method parameters, proxy
 * sharing, and the precedence of annotation attributes and properties; against a real provider.
 */
class RpcReferenceInjectionTests {

    private static RpcServer provider;
    private static String address;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class))
            .withPropertyValues("courier.rpc.registry.address=direct://" + address, "provider.address=" + address);

    @BeforeAll
    static void startProvider() {
        provider = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(EchoService.class, new Echo())
                .build()
                .start();
        address = "127.0.0.1:" + provider.address().getPort();
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @Test
    void field() {
        runner.withUserConfiguration(FieldClient.class).run(context -> {
            assertThat(context.getBean(FieldClient.class).echo.echo("a")).isEqualTo("echo:a");
            assertThat(context.getBean(FieldClient.class).inherited.echo("b")).isEqualTo("echo:b");
        });
    }

    @Test
    void setter() {
        runner.withUserConfiguration(SetterClient.class)
                .run(context -> assertThat(context.getBean(SetterClient.class).echo.echo("s")).isEqualTo("echo:s"));
    }

    @Test
    void constructorParameter() {
        runner.withUserConfiguration(ConstructorClient.class)
                .run(context -> assertThat(context.getBean(ConstructorClient.class).echo.echo("c")).isEqualTo("echo:c"));
    }

    @Test
    void beanMethodParameterMakesAnAutowirableBean() {
        runner.withUserConfiguration(DeclaredProxy.class, AutowiringClient.class).run(context -> {
            assertThat(context).hasSingleBean(EchoService.class);
            AutowiringClient client = context.getBean(AutowiringClient.class);
            assertThat(client.echo).isSameAs(context.getBean(EchoService.class));
            assertThat(client.echo.echo("b")).isEqualTo("echo:b");
            assertThat(client.echo.echoAsync("f").get()).isEqualTo("async:f");
        });
    }

    @Test
    void sameSettingsShareOneProxy() {
        runner.withUserConfiguration(FieldClient.class, ConstructorClient.class, SlowClient.class).run(context -> {
            EchoService field = context.getBean(FieldClient.class).echo;
            assertThat(context.getBean(ConstructorClient.class).echo).isSameAs(field);
            assertThat(context.getBean(SlowClient.class).echo).isNotSameAs(field);
            RpcReferenceFactory factory = context.getBean(RpcReferenceFactory.class);
            assertThat(factory.client().references()).hasSize(2);
            assertThat(factory.injectionPoints().values()).anySatisfy(points -> assertThat(points).hasSize(3));
        });
    }

    @Test
    void clientOutlivesBeansThatUseIt() {
        runner.withUserConfiguration(FieldClient.class).run(context -> assertThat(
                context.getBeanFactory().getDependentBeans(RpcReferenceAnnotationBeanPostProcessor.FACTORY_BEAN_NAME))
                .anyMatch(name -> name.endsWith("FieldClient")));
    }

    @Test
    void annotationAttributesApply() {
        runner.withUserConfiguration(SlowClient.class).run(context -> {
            ReferenceConfig<?> config = onlyReference(context.getBean(RpcReferenceFactory.class));
            assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.retries()).isEqualTo(1);
            assertThat(config.attemptTimeout()).isEqualTo(Duration.ofMillis(400));
            assertThat(config.check()).isFalse();
        });
    }

    @Test
    void consumerPropertiesAreTheDefaults() {
        runner.withUserConfiguration(FieldClient.class).withPropertyValues("courier.rpc.consumer.retries=4",
                "courier.rpc.consumer.load-balancer=round-robin", "courier.rpc.consumer.check=true").run(context -> {
                    ReferenceConfig<?> config = onlyReference(context.getBean(RpcReferenceFactory.class));
                    assertThat(config.timeout()).isNull();
                    assertThat(config.retries()).isEqualTo(4);
                    assertThat(config.loadBalancer()).isEqualTo(LoadBalancers.ROUND_ROBIN);
                    assertThat(config.check()).isTrue();
                    // No address of its own: the client finds providers through the registry.
                    assertThat(config.addresses()).isEmpty();
                    assertThat(context.getBean(RpcReferenceFactory.class).client().routingTable())
                            .hasEntrySatisfying(EchoService.class.getName(), routes -> assertThat(routes).singleElement()
                                    .asString().contains("127.0.0.1:" + provider.address().getPort()));
                });
    }

    @Test
    void servicePropertiesWinOverAnnotation() {
        runner.withUserConfiguration(SlowClient.class).withPropertyValues(
                "courier.rpc.services[" + EchoService.class.getName() + "].timeout=2s",
                "courier.rpc.services[" + EchoService.class.getName() + "].retries=3",
                "courier.rpc.services[" + EchoService.class.getName() + "].attempt-timeout=250ms",
                "courier.rpc.services[" + EchoService.class.getName() + "].methods.echo.timeout=700ms").run(context -> {
                    ReferenceConfig<?> config = onlyReference(context.getBean(RpcReferenceFactory.class));
                    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(config.retries()).isEqualTo(3);
                    assertThat(config.attemptTimeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(config.methodTimeouts()).containsExactly(Map.entry("echo", Duration.ofMillis(700)));
                    assertThat(context.getBean(SlowClient.class).echo.echo("x")).isEqualTo("echo:x");
                });
    }

    @Test
    void loadBalancersFromAnnotationAndProperties() {
        runner.withUserConfiguration(LeastActiveClient.class).withPropertyValues(
                "courier.rpc.services.EchoService.methods.echoAsync.load-balancer=consistent-hash").run(context -> {
                    ReferenceConfig<?> config = onlyReference(context.getBean(RpcReferenceFactory.class));
                    assertThat(config.loadBalancer()).isEqualTo(LoadBalancers.LEAST_ACTIVE);
                    assertThat(config.methodLoadBalancers()).containsExactly(Map.entry("echoAsync", LoadBalancers.CONSISTENT_HASH));
                    assertThat(context.getBean(LeastActiveClient.class).echo.echo("lb")).isEqualTo("echo:lb");
                });
        runner.withUserConfiguration(LeastActiveClient.class)
                .withPropertyValues("courier.rpc.services.EchoService.load-balancer=adaptive").run(context -> assertThat(
                        onlyReference(context.getBean(RpcReferenceFactory.class)).loadBalancer()).isEqualTo(LoadBalancers.ADAPTIVE));
    }

    @Test
    void yamlOverridesBindWithBracketedAndSimpleKeys() {
        runner.withUserConfiguration(FieldClient.class)
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withPropertyValues("spring.config.name=courier-overrides").run(context -> {
                    assertThat(context).hasNotFailed();
                    ReferenceConfig<?> config = onlyReference(context.getBean(RpcReferenceFactory.class));
                    assertThat(config.timeout()).isEqualTo(Duration.ofMillis(1500));
                    assertThat(config.methodTimeouts()).containsEntry("echoAsync", Duration.ofMillis(300));
                    assertThat(config.retries()).isZero();
                    assertThat(context.getBean(ServiceOverrides.class).of(ClockService.class).getTimeout())
                            .isEqualTo(Duration.ofSeconds(9));
                });
    }

    @Test
    void userRegistryBeanFindsProviders() {
        InMemoryRegistry registry = new InMemoryRegistry();
        registry.register(ProviderInstance.of(ServiceKey.of(EchoService.class, null, null), "127.0.0.1",
                provider.address().getPort()));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class))
                .withBean(Registry.class, () -> registry).withUserConfiguration(FieldClient.class)
                .run(context -> assertThat(context.getBean(FieldClient.class).echo.echo("r")).isEqualTo("echo:r"));
    }

    @Test
    void propertyAddressWinsOverRegistry() {
        runner.withUserConfiguration(FieldClient.class).withPropertyValues(
                "courier.rpc.registry.address=direct://127.0.0.1:1",
                "courier.rpc.services.EchoService.address=direct://" + address)
                .run(context -> assertThat(context.getBean(FieldClient.class).echo.echo("p")).isEqualTo("echo:p"));
    }

    @Test
    void annotationAddressWinsOverRegistry() {
        runner.withUserConfiguration(DirectClient.class).withPropertyValues("courier.rpc.registry.address=direct://127.0.0.1:1")
                .run(context -> assertThat(context.getBean(DirectClient.class).echo.echo("d")).isEqualTo("echo:d"));
    }

    @Test
    void methodTimeoutOfUnknownMethodFails() {
        runner.withUserConfiguration(FieldClient.class)
                .withPropertyValues("courier.rpc.services.EchoService.methods.nope.timeout=1s").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("'nope'")
                            .hasMessageContaining("expected: a method of " + EchoService.class.getName());
                });
    }

    @Test
    void badServiceTimeoutPropertyFails() {
        runner.withUserConfiguration(FieldClient.class).withPropertyValues("courier.rpc.services.EchoService.timeout=0s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("courier.rpc.services.EchoService.timeout: PT0S (expected: > 0)");
                });
    }

    @Test
    void badAnnotationTimeoutFails() {
        runner.withUserConfiguration(BadTimeoutClient.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(find(context.getStartupFailure(), CourierRpcStartupException.class))
                    .hasMessageContaining("@RpcReference field 'echo' of " + BadTimeoutClient.class.getName())
                    .hasMessageContaining("timeout = soon ('soon' is not a valid duration)");
        });
    }

    @Test
    void unknownAnnotationLoadBalancerFails() {
        runner.withUserConfiguration(RandomClient.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(find(context.getStartupFailure(), CourierRpcStartupException.class))
                    .hasMessageContaining("loadBalancer = fastest (expected: one of random, round-robin");
        });
    }

    @Test
    void nonInterfaceFails() {
        runner.withUserConfiguration(NotAnInterfaceClient.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("is not an interface");
        });
    }

    @Test
    void missingAddressFailsNamingTheReference() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class))
                .withUserConfiguration(FieldClient.class).run(context -> {
                    assertThat(context).hasFailed();
                    Throwable root = rootCause(context.getStartupFailure());
                    assertThat(root).isInstanceOf(CourierRpcStartupException.class)
                            .hasMessageContaining("@RpcReference field 'echo' of " + FieldClient.class.getName())
                            .hasMessageContaining("has no provider address");
                    FailureAnalysis analysis = new CourierRpcFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).isEqualTo(root.getMessage());
                    assertThat(analysis.getAction()).contains("courier.rpc.registry.address");
                });
    }

    @Test
    void checkFailsStartupWhenNoProviderAnswers() throws IOException {
        int port = freePort();
        runner.withUserConfiguration(FieldClient.class).withPropertyValues(
                "courier.rpc.registry.address=direct://127.0.0.1:" + port, "courier.rpc.consumer.check=true",
                "courier.rpc.consumer.connect-timeout=1s").run(context -> {
                    assertThat(context).hasFailed();
                    CourierRpcStartupException root = find(context.getStartupFailure(), CourierRpcStartupException.class);
                    assertThat(root).hasMessageContaining("No provider of " + EchoService.class.getName() + " answered at direct://127.0.0.1:" + port)
                            .hasMessageContaining("field 'echo' of " + FieldClient.class.getName());
                    assertThat(root.action()).contains("courier.rpc.consumer.check=false");
                });
    }

    @Test
    void withoutCheckStartupSucceedsWhenNoProviderAnswers() throws IOException {
        int port = freePort();
        runner.withUserConfiguration(FieldClient.class).withPropertyValues(
                "courier.rpc.registry.address=direct://127.0.0.1:" + port, "courier.rpc.consumer.check=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void checkPerServiceOverridesConsumerDefault() throws IOException {
        int port = freePort();
        runner.withUserConfiguration(FieldClient.class).withPropertyValues(
                "courier.rpc.registry.address=direct://127.0.0.1:" + port, "courier.rpc.consumer.check=true",
                "courier.rpc.services.EchoService.check=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void asyncReferenceReturnsAtOnceAndLeavesTheFuture() {
        runner.withUserConfiguration(AsyncClient.class, FieldClient.class).run(context -> {
            EchoService async = context.getBean(AsyncClient.class).echo;
            assertThat(async).isNotSameAs(context.getBean(FieldClient.class).echo);
            assertThat(async.echo("later")).isNull();
            CompletableFuture<String> future = RpcContext.lastFuture();
            assertThat(future).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("echo:later");
            assertThat(context.getBean(FieldClient.class).echo.echo("now")).isEqualTo("echo:now");
        });
    }

    @Test
    void routingDefaultsComeFromConsumerProperties() {
        runner.withUserConfiguration(FieldClient.class).run(context -> {
            ReferenceConfig<?> config = onlyReference(context.getBean(RpcReferenceFactory.class));
            assertThat(config.cluster()).isEqualTo(ClusterMode.FAILOVER);
            assertThat(config.tag()).isEmpty();
            assertThat(config.fallbackToUntagged()).isTrue();
            assertThat(config.async()).isFalse();
        });
        runner.withUserConfiguration(FieldClient.class).withPropertyValues("courier.rpc.consumer.cluster=FailFast",
                "courier.rpc.consumer.tag=canary", "courier.rpc.consumer.fallback-to-untagged=false").run(context -> {
                    ReferenceConfig<?> config = onlyReference(context.getBean(RpcReferenceFactory.class));
                    assertThat(config.cluster()).isEqualTo(ClusterMode.FAILFAST);
                    assertThat(config.tag()).isEqualTo("canary");
                    assertThat(config.fallbackToUntagged()).isFalse();
                });
    }

    @Test
    void routingAnnotationWinsOverConsumerPropertiesAndServicePropertiesWinOverIt() {
        runner.withUserConfiguration(CanaryClient.class).withPropertyValues("courier.rpc.consumer.cluster=failfast",
                "courier.rpc.consumer.tag=blue").run(context -> {
                    ReferenceConfig<?> config = onlyReference(context.getBean(RpcReferenceFactory.class));
                    assertThat(config.cluster()).isEqualTo(ClusterMode.FAILSAFE);
                    assertThat(config.tag()).isEqualTo("canary");
                });
        runner.withUserConfiguration(CanaryClient.class).withPropertyValues("courier.rpc.services.EchoService.cluster=failover",
                "courier.rpc.services.EchoService.tag=green", "courier.rpc.services.EchoService.fallback-to-untagged=false")
                .run(context -> {
                    ReferenceConfig<?> config = onlyReference(context.getBean(RpcReferenceFactory.class));
                    assertThat(config.cluster()).isEqualTo(ClusterMode.FAILOVER);
                    assertThat(config.tag()).isEqualTo("green");
                    assertThat(config.fallbackToUntagged()).isFalse();
                });
    }

    @Test
    void failsafeReferenceReturnsADefaultWhenTheCallFails() throws IOException {
        runner.withUserConfiguration(FailsafeClient.class).withPropertyValues("dead.address=127.0.0.1:" + freePort())
                .run(context -> {
                    EchoService echo = context.getBean(FailsafeClient.class).echo;
                    assertThat(echo.echo("nobody listens")).isNull();
                    assertThat(echo.remainingMillis()).isZero();
                });
    }

    @Test
    void unknownAnnotationClusterFails() {
        runner.withUserConfiguration(BadClusterClient.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(find(context.getStartupFailure(), CourierRpcStartupException.class))
                    .hasMessageContaining("@RpcReference field 'echo' of " + BadClusterClient.class.getName())
                    .hasMessageContaining("cluster = sometimes (expected: failover, failfast or failsafe)");
        });
    }

    @Test
    void unknownServiceClusterFails() {
        // Refused by the binder: the report names the property and lists the valid values.
        assertBindFailsWith(runner.withUserConfiguration(FieldClient.class)
                .withPropertyValues("courier.rpc.services.EchoService.cluster=never"),
                "courier.rpc.services.echoservice.cluster", "never", ClusterMode.class);
        assertBindFailsWith(runner.withUserConfiguration(FieldClient.class)
                .withPropertyValues("courier.rpc.services[" + EchoService.class.getName() + "].load-balancer=fastest"),
                "courier.rpc.services[" + EchoService.class.getName() + "].load-balancer", "fastest", LoadBalancers.class);
    }

    private static ReferenceConfig<?> onlyReference(RpcReferenceFactory factory) {
        Map<ReferenceConfig<?>, Set<String>> points = factory.injectionPoints();
        assertThat(points).hasSize(1);
        return points.keySet().iterator().next();
    }

    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("No " + type.getSimpleName() + " in the causes of " + failure, failure);
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A port nothing listens on (it was free a moment ago). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    // ---- clients ----------------------------------------------------------------------------

    abstract static class BaseClient {
        @RpcReference
        EchoService inherited;
    }

    @Component
    static class FieldClient extends BaseClient {
        @RpcReference
        EchoService echo;
    }

    @Component
    static class SetterClient {
        EchoService echo;

        @RpcReference
        void setEcho(EchoService echo) {
            this.echo = echo;
        }
    }

    @Component
    static class ConstructorClient {
        final EchoService echo;

        ConstructorClient(@RpcReference EchoService echo) {
            this.echo = echo;
        }
    }

    @Component
    static class SlowClient {
        @RpcReference(timeout = "5s", retries = 1, attemptTimeout = "400ms")
        EchoService echo;
    }

    @Component
    static class DirectClient {
        @RpcReference(address = "${provider.address}")
        EchoService echo;
    }

    @Component
    static class BadTimeoutClient {
        @RpcReference(timeout = "soon")
        EchoService echo;
    }

    @Component
    static class LeastActiveClient {
        @RpcReference(loadBalancer = "least-active")
        EchoService echo;
    }

    @Component
    static class RandomClient {
        @RpcReference(loadBalancer = "fastest")
        EchoService echo;
    }

    @Component
    static class AsyncClient {
        @RpcReference(async = true)
        EchoService echo;
    }

    @Component
    static class CanaryClient {
        @RpcReference(cluster = "failsafe", tag = "${echo.tag:canary}", retries = 0)
        EchoService echo;
    }

    @Component
    static class FailsafeClient {
        @RpcReference(cluster = "failsafe", address = "${dead.address}", retries = 0, timeout = "2s")
        EchoService echo;
    }

    @Component
    static class BadClusterClient {
        @RpcReference(cluster = "sometimes")
        EchoService echo;
    }

    @Component
    static class NotAnInterfaceClient {
        @RpcReference
        String echo;
    }

    @Configuration(proxyBeanMethods = false)
    static class DeclaredProxy {
        @Bean
        EchoService echoService(@RpcReference EchoService echo) {
            return echo;
        }
    }

    @Component
    static class AutowiringClient {
        @Autowired
        EchoService echo;
    }
}
