package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.cluster.ClusterMode;
import io.courier.rpc.cluster.LoadBalancers;
import io.courier.rpc.cluster.OutlierDetection;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.interceptor.AccessLogInterceptor;
import io.courier.rpc.interceptor.AdmissionControl;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.observation.ObservationClientInterceptor;
import io.courier.rpc.observation.ObservationServerInterceptor;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.registry.RegistryListener;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.courier.rpc.spring.RpcService;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static io.courier.rpc.spring.boot.autoconfigure.BindFailures.assertBindFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

/** Conditions, back-off, property mapping and validation of {@link CourierRpcAutoConfiguration}. */
class CourierRpcAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class))
            .withPropertyValues("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0");

    private final ApplicationContextRunner observed = runner
            .withConfiguration(AutoConfigurations.of(CourierRpcObservationAutoConfiguration.class));

    // ---- conditions -------------------------------------------------------------------------

    @Test
    void consumerSideOnlyWhenNoServiceBean() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(RpcClient.class).hasSingleBean(Serializer.class)
                    .hasSingleBean(RpcReferenceFactory.class);
            assertThat(context).doesNotHaveBean(RpcServer.class).doesNotHaveBean(CourierRpcServerLifecycle.class);
        });
    }

    @Test
    void serviceBeanStartsServerOnFreePort() {
        runner.withUserConfiguration(EchoProvider.class).run(context -> {
            assertThat(context).hasSingleBean(RpcServer.class).hasSingleBean(CourierRpcServerLifecycle.class);
            RpcServer server = context.getBean(RpcServer.class);
            assertThat(server.isRunning()).isTrue();
            assertThat(server.address().getPort()).isPositive();
            assertThat(server.describeServices()).containsOnlyKeys(EchoService.class.getName());
        });
    }

    @Test
    void serverStopsWhenContextCloses() {
        RpcServer[] server = new RpcServer[1];
        runner.withUserConfiguration(EchoProvider.class)
                .run(context -> server[0] = context.getBean(RpcServer.class));
        assertThat(server[0].isRunning()).isFalse();
    }

    @Test
    void serverDisabledByProperty() {
        runner.withUserConfiguration(EchoProvider.class).withPropertyValues("courier.rpc.server.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RpcServer.class));
    }

    @Test
    void backsOffWithoutCore() {
        runner.withUserConfiguration(EchoProvider.class).withClassLoader(new FilteredClassLoader(RpcServer.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RpcClient.class)
                        .doesNotHaveBean(RpcServer.class));
    }

    // ---- user overrides ---------------------------------------------------------------------

    @Test
    void userSerializerReplacesDefault() {
        runner.withUserConfiguration(EchoProvider.class, UserSerializer.class).run(context -> {
            assertThat(context).getBean(Serializer.class).isSameAs(context.getBean("mySerializer"));
            assertThat(context.getBean(RpcClient.class).serializer()).isSameAs(context.getBean("mySerializer"));
            // The server still accepts Kryo besides the user's JSON serializer.
            assertThat(context.getBean(RpcServer.class).serializers().all())
                    .extracting(Serializer::name).containsExactly("json", "kryo");
        });
    }

    @Test
    void userClientReplacesDefault() {
        runner.withUserConfiguration(UserClient.class).run(context -> {
            assertThat(context).hasSingleBean(RpcClient.class);
            assertThat(context.getBean(RpcClient.class).options().connectionsPerAddress()).isEqualTo(3);
        });
    }

    @Test
    void userServerReplacesDefaultAndIsStarted() {
        runner.withUserConfiguration(EchoProvider.class, UserServer.class).run(context -> {
            assertThat(context).hasSingleBean(RpcServer.class);
            RpcServer server = context.getBean(RpcServer.class);
            assertThat(server).isSameAs(context.getBean("myServer"));
            assertThat(server.services()).isEmpty();
            assertThat(server.isRunning()).isTrue();
        });
    }

    @Test
    void executorBeanRunsServiceMethods() {
        runner.withUserConfiguration(EchoProvider.class, UserExecutor.class).run(context -> {
            RpcServer server = context.getBean(RpcServer.class);
            try (RpcClient client = RpcClient.builder().build()) {
                EchoService echo = client.reference(ReferenceConfig.builder(EchoService.class)
                        .address(server.address().getHostString() + ":" + server.address().getPort()).build());
                assertThat(echo.threadName()).startsWith("my-courier-worker");
            }
        });
    }

    @Test
    void interceptorBeansJoinTheChainsInOrder() {
        runner.withUserConfiguration(EchoProvider.class, Interceptors.class).withPropertyValues(
                "courier.rpc.registry.address=direct://127.0.0.1:1").run(context -> {
                    RpcServer server = context.getBean(RpcServer.class);
                    RpcClient client = context.getBean(RpcClient.class);
                    EchoService echo = client.reference(ReferenceConfig.builder(EchoService.class)
                            .address("127.0.0.1:" + server.address().getPort()).build());
                    assertThat(echo.echo("x")).isEqualTo("echo:x");
                    assertThat(context.getBean(Interceptors.class).calls)
                            .containsExactly("client-1", "client-2", "admission", "server");
                });
    }

    @Test
    void registryBeanFromAddress() {
        runner.withPropertyValues("courier.rpc.registry.address=direct://127.0.0.1:7070")
                .run(context -> assertThat(context).hasSingleBean(Registry.class));
        // Always defined (AOT freezes conditions at build time), but null without an address.
        runner.run(context -> assertThat(context.getBeanProvider(Registry.class).getIfAvailable()).isNull());
        runner.withPropertyValues("courier.rpc.registry.address= ").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanProvider(Registry.class).getIfAvailable()).isNull();
        });
    }

    @Test
    void userRegistryReplacesDefault() {
        RecordingRegistry registry = new RecordingRegistry();
        runner.withBean(Registry.class, () -> registry).withPropertyValues("courier.rpc.registry.address=direct://127.0.0.1:7070")
                .run(context -> assertThat(context).getBean(Registry.class).isSameAs(registry));
    }

    @Test
    void providerAnnouncesItsServicesToTheRegistryAndWithdrawsThemFirst() {
        RecordingRegistry registry = new RecordingRegistry();
        runner.withUserConfiguration(EchoProvider.class).withBean(Registry.class, () -> registry)
                .withPropertyValues("courier.rpc.server.advertised-host=provider.example", "courier.rpc.server.tags=canary")
                .run(context -> {
                    RpcServer server = context.getBean(RpcServer.class);
                    registry.server = server;
                    assertThat(registry.events).singleElement().asString().isEqualTo("register "
                            + EchoService.class.getName() + " provider.example:" + server.address().getPort() + " [canary]");
                });
        assertThat(registry.events).hasSize(2);
        assertThat(registry.events.get(1)).startsWith("unregister " + EchoService.class.getName());
        assertThat(registry.serverAcceptedCallsAtUnregister).isTrue();
    }

    @Test
    void customizersAreApplied() {
        runner.withUserConfiguration(EchoProvider.class, Customizers.class).run(context -> {
            Customizers customizers = context.getBean(Customizers.class);
            assertThat(customizers.server.get()).isEqualTo(1);
            assertThat(customizers.client.get()).isEqualTo(1);
        });
    }

    // ---- properties -------------------------------------------------------------------------

    @Test
    void serverPropertiesMapToOptions() {
        runner.withUserConfiguration(EchoProvider.class).withPropertyValues(
                "courier.rpc.server.io-threads=2", "courier.rpc.server.worker-threads=8",
                "courier.rpc.server.queue-size=16", "courier.rpc.server.max-frame-size=2MB",
                "courier.rpc.server.idle-timeout=45s", "courier.rpc.server.shutdown-grace=800ms").run(context -> {
                    ServerOptions options = context.getBean(RpcServer.class).options();
                    assertThat(options.host()).isEqualTo("127.0.0.1");
                    assertThat(options.port()).isZero();
                    assertThat(options.ioThreads()).isEqualTo(2);
                    assertThat(options.workerThreads()).isEqualTo(8);
                    assertThat(options.queueSize()).isEqualTo(16);
                    assertThat(options.maxFrameSize()).isEqualTo(2 * 1024 * 1024);
                    assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(options.shutdownGrace()).isEqualTo(Duration.ofMillis(800));
                });
    }

    @Test
    void serverHttpPropertiesMapToOptions() {
        runner.withUserConfiguration(EchoProvider.class).withPropertyValues(
                "courier.rpc.server.http.enabled=false", "courier.rpc.server.http.console-enabled=false",
                "courier.rpc.server.http.console-path=/console", "courier.rpc.server.http.max-request-size=256KB")
                .run(context -> {
                    ServerOptions options = context.getBean(RpcServer.class).options();
                    assertThat(options.httpEnabled()).isFalse();
                    assertThat(options.httpConsoleEnabled()).isFalse();
                    assertThat(options.httpConsolePath()).isEqualTo("/console/");
                    assertThat(options.httpMaxRequestSize()).isEqualTo(256 * 1024);
                });
    }

    @Test
    void tinyHttpRequestSizeFails() {
        assertFailsWith(runner.withUserConfiguration(EchoProvider.class)
                .withPropertyValues("courier.rpc.server.http.max-request-size=10B"),
                "courier.rpc.server.http.max-request-size",
                "courier.rpc.server.http.max-request-size: 10B (expected: 1024..67108864)");
    }

    @Test
    void httpConsolePathUnderRpcFails() {
        assertFailsWith(runner.withUserConfiguration(EchoProvider.class)
                .withPropertyValues("courier.rpc.server.http.console-path=/rpc/console"),
                "courier.rpc.server.http.console-path",
                "courier.rpc.server.http.console-path: /rpc/console (expected: an absolute URL path, not under /rpc/ or /health)");
    }

    @Test
    void serverDefaultsMatchCore() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CourierRpcAutoConfiguration.class))
                .run(context -> {
                    CourierRpcProperties.Server server = context.getBean(CourierRpcProperties.class).getServer();
                    ServerOptions core = ServerOptions.ofDefaults();
                    assertThat(PropertyMapping.serverOptions(server)).usingRecursiveComparison().isEqualTo(core);
                });
    }

    @Test
    void consumerPropertiesMapToOptions() {
        runner.withPropertyValues("courier.rpc.consumer.timeout=800ms", "courier.rpc.consumer.connect-timeout=2s",
                "courier.rpc.consumer.connections=4", "courier.rpc.consumer.io-threads=1",
                "courier.rpc.consumer.max-frame-size=1MB", "courier.rpc.consumer.max-pending-calls=10",
                "courier.rpc.consumer.heartbeat-interval=5s", "courier.rpc.consumer.reconnect-delay-min=50ms",
                "courier.rpc.consumer.reconnect-delay-max=2s").run(context -> {
                    ClientOptions options = context.getBean(RpcClient.class).options();
                    assertThat(options.requestTimeout()).isEqualTo(Duration.ofMillis(800));
                    assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(options.connectionsPerAddress()).isEqualTo(4);
                    assertThat(options.ioThreads()).isEqualTo(1);
                    assertThat(options.maxFrameSize()).isEqualTo(1024 * 1024);
                    assertThat(options.maxPendingCalls()).isEqualTo(10);
                    assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(options.reconnectDelayMin()).isEqualTo(Duration.ofMillis(50));
                    assertThat(options.reconnectDelayMax()).isEqualTo(Duration.ofSeconds(2));
                });
    }

    @Test
    void consumerDefaultsMatchCore() {
        runner.run(context -> assertThat(context.getBean(RpcClient.class).options()).usingRecursiveComparison()
                .isEqualTo(ClientOptions.ofDefaults()));
    }

    @Test
    void kryoByDefault() {
        runner.run(context -> assertThat(context.getBean(Serializer.class)).isInstanceOf(KryoSerializer.class));
    }

    @Test
    void jsonByProperty() {
        runner.withPropertyValues("courier.rpc.serialization.type=JSON")
                .run(context -> assertThat(context.getBean(Serializer.class)).isInstanceOf(JsonSerializer.class));
    }

    @Test
    void kryoAllowlistFromProperties() {
        runner.withPropertyValues("courier.rpc.serialization.allowed-classes=java.util.BitSet",
                "courier.rpc.serialization.allowed-packages=com.acme.dto.*").run(context -> {
                    KryoSerializer kryo = (KryoSerializer) context.getBean(Serializer.class);
                    assertThat(kryo.isAllowed("java.util.BitSet")).isTrue();
                    assertThat(kryo.isAllowed("com.acme.dto.Order")).isTrue();
                    assertThat(kryo.isAllowed("com.acme.other.Order")).isFalse();
                });
    }

    // ---- bad values fail fast with the property in the message -------------------------------

    @Test
    void badPortFails() {
        assertFailsWith(runner.withUserConfiguration(EchoProvider.class).withPropertyValues("courier.rpc.server.port=70000"),
                "courier.rpc.server.port", "courier.rpc.server.port: 70000 (expected: 0..65535)");
    }

    @Test
    void badWorkerThreadsFails() {
        assertFailsWith(runner.withUserConfiguration(EchoProvider.class)
                .withPropertyValues("courier.rpc.server.worker-threads=0"),
                "courier.rpc.server.worker-threads", "courier.rpc.server.worker-threads: 0 (expected: >= 1)");
    }

    @Test
    void negativeShutdownGraceFails() {
        assertFailsWith(runner.withUserConfiguration(EchoProvider.class)
                .withPropertyValues("courier.rpc.server.shutdown-grace=-1s"),
                "courier.rpc.server.shutdown-grace", "courier.rpc.server.shutdown-grace: PT-1S (expected: >= 0)");
    }

    @Test
    void tinyFrameSizeFails() {
        assertFailsWith(runner.withUserConfiguration(EchoProvider.class)
                .withPropertyValues("courier.rpc.server.max-frame-size=100B"),
                "courier.rpc.server.max-frame-size", "courier.rpc.server.max-frame-size: 100B (expected: >= 1024)");
    }

    @Test
    void unknownSerializerFails() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.serialization.type=xml"),
                "courier.rpc.serialization.type", "courier.rpc.serialization.type: xml (expected: kryo or json)");
    }

    @Test
    void badAllowedPackageFails() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.serialization.allowed-packages=com.acme"),
                "courier.rpc.serialization.allowed-packages",
                "courier.rpc.serialization.allowed-packages: [com.acme] (expected: a package name followed by .*");
    }

    @Test
    void badAllowedClassFails() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.serialization.allowed-classes=not a class"),
                "courier.rpc.serialization.allowed-classes",
                "courier.rpc.serialization.allowed-classes: [not a class] (expected: a binary class name");
    }

    @Test
    void zeroTimeoutFails() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.consumer.timeout=0s"),
                "courier.rpc.consumer.timeout", "courier.rpc.consumer.timeout: PT0S (expected: > 0)");
    }

    @Test
    void badRetriesFails() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.consumer.retries=11"),
                "courier.rpc.consumer.retries", "courier.rpc.consumer.retries: 11 (expected: 0..10)");
    }

    @Test
    void badAttemptTimeoutAndOutlierDetectionFail() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.consumer.attempt-timeout=-1s"),
                "courier.rpc.consumer.attempt-timeout", "courier.rpc.consumer.attempt-timeout: PT-1S (expected: >= 0)");
        assertFailsWith(runner.withPropertyValues("courier.rpc.consumer.outlier-detection.max-ejection-percent=101"),
                "courier.rpc.consumer.outlier-detection.max-ejection-percent",
                "courier.rpc.consumer.outlier-detection.max-ejection-percent: 101 (expected: 0..100)");
        assertFailsWith(runner.withPropertyValues("courier.rpc.consumer.outlier-detection.max-ejection-time=500ms"),
                "courier.rpc.consumer.outlier-detection.max-ejection-time",
                "courier.rpc.consumer.outlier-detection.max-ejection-time: PT0.5S (expected: >= baseEjectionTime (PT1S))");
    }

    @Test
    void attemptTimeoutsAndOutlierDetectionReachTheReference() {
        runner.withUserConfiguration(TestApplications.EchoCaller.class).withPropertyValues(
                "courier.rpc.registry.address=direct://127.0.0.1:1",
                "courier.rpc.consumer.attempt-timeout=300ms",
                "courier.rpc.services.EchoService.methods.echo.attempt-timeout=100ms",
                "courier.rpc.consumer.outlier-detection.consecutive-failures=3",
                "courier.rpc.consumer.outlier-detection.base-ejection-time=2s").run(context -> {
                    assertThat(context).hasNotFailed();
                    ReferenceConfig<?> config = context.getBean(RpcReferenceFactory.class).injectionPoints().keySet()
                            .iterator().next();
                    assertThat(config.attemptTimeout()).isEqualTo(Duration.ofMillis(300));
                    assertThat(config.methodAttemptTimeouts()).containsExactly(Map.entry("echo", Duration.ofMillis(100)));
                    assertThat(config.outlierDetection()).isEqualTo(OutlierDetection.builder().consecutiveFailures(3)
                            .baseEjectionTime(Duration.ofSeconds(2)).build());
                });
        // A service turns the consumer's attempt timeout off with 0.
        runner.withUserConfiguration(TestApplications.EchoCaller.class).withPropertyValues(
                "courier.rpc.registry.address=direct://127.0.0.1:1",
                "courier.rpc.consumer.attempt-timeout=300ms", "courier.rpc.services.EchoService.attempt-timeout=0",
                "courier.rpc.consumer.outlier-detection.enabled=false").run(context -> {
                    ReferenceConfig<?> config = context.getBean(RpcReferenceFactory.class).injectionPoints().keySet()
                            .iterator().next();
                    assertThat(config.attemptTimeout()).isZero();
                    assertThat(config.outlierDetection().enabled()).isFalse();
                });
    }

    @Test
    void hedgingReachesTheReferenceAndBadValuesFail() {
        runner.withUserConfiguration(TestApplications.EchoCaller.class).withPropertyValues(
                "courier.rpc.registry.address=direct://127.0.0.1:1",
                "courier.rpc.consumer.hedge-delay=80ms", "courier.rpc.consumer.hedge-attempts=3").run(context -> {
                    assertThat(context).hasNotFailed();
                    ReferenceConfig<?> config = context.getBean(RpcReferenceFactory.class).injectionPoints().keySet()
                            .iterator().next();
                    assertThat(config.hedgeDelay()).isEqualTo(Duration.ofMillis(80));
                    assertThat(config.hedgeAttempts()).isEqualTo(3);
                });
        // A service's delay wins over the consumer's.
        runner.withUserConfiguration(TestApplications.EchoCaller.class).withPropertyValues(
                "courier.rpc.registry.address=direct://127.0.0.1:1", "courier.rpc.consumer.hedge-delay=80ms",
                "courier.rpc.services.EchoService.hedge-delay=0").run(context -> {
                    ReferenceConfig<?> config = context.getBean(RpcReferenceFactory.class).injectionPoints().keySet()
                            .iterator().next();
                    assertThat(config.hedgeDelay()).isZero();
                });
        // EchoService#echo is not idempotent: hedging it is refused at startup, naming the method.
        runner.withUserConfiguration(TestApplications.EchoCaller.class).withPropertyValues(
                "courier.rpc.registry.address=direct://127.0.0.1:1",
                "courier.rpc.services.EchoService.methods.echo.hedge-delay=50ms").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining(
                            "methodHedgeDelays.echo: PT0.05S on a method that is not idempotent");
                });
        assertFailsWith(runner.withPropertyValues("courier.rpc.consumer.hedge-delay=-1s"),
                "courier.rpc.consumer.hedge-delay", "courier.rpc.consumer.hedge-delay: PT-1S (expected: >= 0)");
        assertFailsWith(runner.withPropertyValues("courier.rpc.consumer.hedge-attempts=6"),
                "courier.rpc.consumer.hedge-attempts", "courier.rpc.consumer.hedge-attempts: 6 (expected: 2..5)");
    }

    @Test
    void badConnectionsFails() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.consumer.connections=0"),
                "courier.rpc.consumer.connections", "courier.rpc.consumer.connections: 0 (expected: 1..64)");
    }

    @Test
    void reconnectMaxBelowMinFails() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.consumer.reconnect-delay-min=2s",
                "courier.rpc.consumer.reconnect-delay-max=1s"),
                "courier.rpc.consumer.reconnect-delay-max", "courier.rpc.consumer.reconnect-delay-max: PT1S (expected: >= PT2S)");
    }

    @Test
    void unknownLoadBalancerFails() {
        // Refused by the binder: the report names the property and lists the valid values.
        assertBindFailsWith(runner.withPropertyValues("courier.rpc.consumer.load-balancer=fastest"),
                "courier.rpc.consumer.load-balancer", "fastest", LoadBalancers.class);
        assertBindFailsWith(runner.withPropertyValues("courier.rpc.services.EchoService.methods.echo.load-balancer=fastest"),
                "courier.rpc.services.echoservice.methods.echo.load-balancer", "fastest", LoadBalancers.class);
    }

    @Test
    void unsupportedRegistryFails() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.registry.address=zookeeper://127.0.0.1:2181"),
                "courier.rpc.registry.address", "courier.rpc.registry.address: zookeeper://127.0.0.1:2181 "
                + "(uses unknown scheme 'zookeeper'");
    }

    @Test
    void malformedRegistryAddressFails() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.registry.address=direct://127.0.0.1"),
                "courier.rpc.registry.address",
                "courier.rpc.registry.address: direct://127.0.0.1 (expected: direct://[tag@]host:port[,[tag@]host:port...])");
    }

    @Test
    void unknownServiceInterfaceFails() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.services[com.acme.Missing].timeout=1s"),
                "courier.rpc.services[com.acme.Missing]", "a service interface on the classpath");
    }

    @Test
    void unbracketedDottedServiceKeyFails() {
        // What YAML produces from an unquoted "io.courier.Foo:" key: the binder sees "io".
        assertFailsWith(runner.withPropertyValues("courier.rpc.services.io.courier.EchoService.timeout=1s"),
                "courier.rpc.services.io.courier.EchoService.timeout", "unknown service key 'io'");
    }

    @Test
    void unknownServiceSettingFails() {
        assertFailsWith(runner.withPropertyValues("courier.rpc.services.EchoService.timeot=1s"),
                "courier.rpc.services.EchoService.timeot", "unknown service key 'EchoService'");
        assertFailsWith(runner.withPropertyValues("courier.rpc.services.EchoService.timeout=1s",
                "courier.rpc.services.EchoService.timeot=1s"),
                "courier.rpc.services.EchoService.timeot", "unknown setting");
        assertFailsWith(runner.withPropertyValues("courier.rpc.services.EchoService.methods.echo.timeot=1s"),
                "courier.rpc.services.EchoService.methods.echo.timeot", "unknown");
    }

    @Test
    void knownServiceSettingsBind() {
        runner.withPropertyValues("courier.rpc.services[" + EchoService.class.getName() + "].timeout=1s",
                "courier.rpc.services[" + EchoService.class.getName() + "].load-balancer=round-robin",
                "courier.rpc.services.ClockService.loadBalancer=round-robin",
                "courier.rpc.services.ClockService.methods.now.timeout=2s").run(context -> {
                    assertThat(context).hasNotFailed();
                    ServiceOverrides overrides = context.getBean(ServiceOverrides.class);
                    assertThat(overrides.of(EchoService.class).getTimeout()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(overrides.of(ClockService.class).getMethods().get("now").getTimeout())
                            .isEqualTo(Duration.ofSeconds(2));
                    assertThat(overrides.prefix(ClockService.class)).isEqualTo("courier.rpc.services.ClockService");
                    assertThat(overrides.prefix(EchoService.class))
                            .isEqualTo("courier.rpc.services[" + EchoService.class.getName() + "]");
                });
    }

    // ---- @RpcService interface detection -----------------------------------------------------

    @Test
    void severalInterfacesNeedInterfaceClass() {
        runner.withUserConfiguration(AmbiguousProvider.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(CourierRpcStartupException.class)
                    .hasMessageContaining("implements several interfaces")
                    .hasMessageContaining(EchoService.class.getName()).hasMessageContaining(ClockService.class.getName());
        });
    }

    @Test
    void interfaceClassChoosesExportedInterface() {
        runner.withUserConfiguration(ClockProvider.class).run(context -> assertThat(
                context.getBean(RpcServer.class).describeServices()).containsOnlyKeys(ClockService.class.getName()));
    }

    @Test
    void interfaceClassMustBeImplemented() {
        runner.withUserConfiguration(WrongInterfaceProvider.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("which it does not implement");
        });
    }

    @Test
    void serviceOverridesWinOverAnnotation() {
        runner.withUserConfiguration(EchoProvider.class).withPropertyValues(
                "courier.rpc.services.EchoService.version=2.0", "courier.rpc.services.EchoService.group=blue",
                "courier.rpc.services.EchoService.weight=7").run(context -> {
                    var service = context.getBean(RpcServer.class).services().get(0);
                    assertThat(service.version()).isEqualTo("2.0");
                    assertThat(service.group()).isEqualTo("blue");
                    assertThat(service.weight()).isEqualTo(7);
                });
    }

    @Test
    void annotationVersionAndPlaceholders() {
        runner.withUserConfiguration(VersionedProvider.class).withPropertyValues("echo.group=green").run(context -> {
            var service = context.getBean(RpcServer.class).services().get(0);
            assertThat(service.version()).isEqualTo("1.1");
            assertThat(service.group()).isEqualTo("green");
            assertThat(service.serviceKey().toString()).isEqualTo("green/" + EchoService.class.getName() + ":1.1");
        });
    }

    @Test
    void twoBeansWithSameKeyFail() {
        runner.withUserConfiguration(EchoProvider.class, SecondEchoProvider.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("both export");
        });
    }

    @Test
    void portInUseFailsWithAction() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            runner.withUserConfiguration(EchoProvider.class)
                    .withPropertyValues("courier.rpc.server.port=" + taken.getLocalPort()).run(context -> {
                        assertThat(context).hasFailed();
                        assertThat(context.getStartupFailure()).cause().isInstanceOf(CourierRpcStartupException.class)
                                .hasMessageContaining("cannot start on 127.0.0.1:" + taken.getLocalPort())
                                .hasMessageContaining("Address already in use");
                    });
        }
    }

    // ---- provider timeouts ------------------------------------------------------------------

    @Test
    void noServiceTimeoutByDefault() {
        runner.withUserConfiguration(EchoProvider.class)
                .run(context -> assertThat(context.getBean(RpcServer.class).services().get(0).timeout()).isNull());
    }

    @Test
    void serviceTimeoutFromAnnotationWithPlaceholder() {
        runner.withUserConfiguration(TimedProvider.class).withPropertyValues("echo.timeout=2s").run(context -> assertThat(
                context.getBean(RpcServer.class).services().get(0).timeout()).isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void serviceTimeoutPropertyWinsOverAnnotation() {
        runner.withUserConfiguration(TimedProvider.class)
                .withPropertyValues("echo.timeout=2s", "courier.rpc.services.EchoService.timeout=700ms")
                .run(context -> assertThat(context.getBean(RpcServer.class).services().get(0).timeout())
                        .isEqualTo(Duration.ofMillis(700)));
    }

    @Test
    void serviceTimeoutCapsTheCallersDeadline() {
        runner.withUserConfiguration(TimedProvider.class).withPropertyValues("echo.timeout=300ms").run(context -> {
            RpcServer server = context.getBean(RpcServer.class);
            try (RpcClient client = RpcClient.builder().build()) {
                EchoService echo = client.reference(ReferenceConfig.builder(EchoService.class)
                        .address("127.0.0.1:" + server.address().getPort()).timeout(Duration.ofSeconds(10)).build());
                assertThat(echo.remainingMillis()).isBetween(0L, 300L);
            }
        });
    }

    @Test
    void badServiceTimeoutAnnotationFails() {
        runner.withUserConfiguration(TimedProvider.class).withPropertyValues("echo.timeout=soon").run(context -> {
            assertThat(context).hasFailed();
            assertThat(RpcReferenceInjectionTests.find(context.getStartupFailure(), CourierRpcStartupException.class))
                    .hasMessageContaining("@RpcService bean")
                    .hasMessageContaining("(" + EchoService.class.getName() + "): timeout = soon (expected: a duration");
        });
        runner.withUserConfiguration(TimedProvider.class).withPropertyValues("echo.timeout=0s").run(context -> assertThat(
                RpcReferenceInjectionTests.find(context.getStartupFailure(), CourierRpcStartupException.class))
                .hasMessageContaining("timeout = 0s (expected: > 0)"));
    }

    // ---- access log and observation ---------------------------------------------------------

    @Test
    void accessLogOnlyWhenEnabled() {
        runner.withUserConfiguration(EchoProvider.class)
                .run(context -> assertThat(context).doesNotHaveBean(AccessLogInterceptor.class));
        runner.withUserConfiguration(EchoProvider.class).withPropertyValues("courier.rpc.access-log.enabled=true",
                "courier.rpc.access-log.sample-rate=0.5", "courier.rpc.access-log.log-arguments=true")
                .run(context -> assertThat(context).hasSingleBean(AccessLogInterceptor.class));
        // A consumer-only application serves nothing to log.
        runner.withPropertyValues("courier.rpc.access-log.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AccessLogInterceptor.class));
    }

    @Test
    void badAccessLogSampleRateFails() {
        assertFailsWith(runner.withUserConfiguration(EchoProvider.class).withPropertyValues(
                "courier.rpc.access-log.enabled=true", "courier.rpc.access-log.sample-rate=1.5"),
                "courier.rpc.access-log.sample-rate", "courier.rpc.access-log.sample-rate: 1.5 (expected: 0..1)");
    }

    @Test
    void observationInterceptorsWhenThereIsAnObservationRegistry() {
        observed.withBean(ObservationRegistry.class, ObservationRegistry::create).run(context -> {
            assertThat(context).hasSingleBean(ObservationServerInterceptor.class)
                    .hasSingleBean(ObservationClientInterceptor.class);
        });
    }

    @Test
    void noObservationWithoutRegistryBean() {
        observed.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ObservationServerInterceptor.class)
                .doesNotHaveBean(ObservationClientInterceptor.class));
    }

    @Test
    void observationCanBeDisabled() {
        observed.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withPropertyValues("courier.rpc.observation.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ObservationServerInterceptor.class)
                        .doesNotHaveBean(ObservationClientInterceptor.class));
    }

    @Test
    void noObservationWithoutMicrometer() {
        observed.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ObservationClientInterceptor.class));
    }

    @Test
    void userObservationInterceptorReplacesDefault() {
        ObservationClientInterceptor mine = new ObservationClientInterceptor(ObservationRegistry.NOOP);
        observed.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withBean(ObservationClientInterceptor.class, () -> mine)
                .run(context -> assertThat(context).getBean(ObservationClientInterceptor.class).isSameAs(mine));
    }

    // ---- consumer routing defaults -----------------------------------------------------------

    @Test
    void unknownClusterFails() {
        assertBindFailsWith(runner.withPropertyValues("courier.rpc.consumer.cluster=never"),
                "courier.rpc.consumer.cluster", "never", ClusterMode.class);
    }

    @Test
    void loadBalancerAndClusterBindWithRelaxedNames() {
        runner.withPropertyValues("courier.rpc.consumer.load-balancer=roundrobin", "courier.rpc.consumer.cluster=FailFast",
                "courier.rpc.services.EchoService.load-balancer=LEAST_ACTIVE",
                "courier.rpc.services.EchoService.cluster=fail-safe",
                "courier.rpc.services.EchoService.methods.echo.load-balancer=Consistent-Hash").run(context -> {
                    assertThat(context).hasNotFailed();
                    CourierRpcProperties properties = context.getBean(CourierRpcProperties.class);
                    assertThat(properties.getConsumer().getLoadBalancer()).isEqualTo(LoadBalancers.ROUND_ROBIN);
                    assertThat(properties.getConsumer().getCluster()).isEqualTo(ClusterMode.FAILFAST);
                    CourierRpcProperties.Service echo = properties.getServices().get("EchoService");
                    assertThat(echo.getLoadBalancer()).isEqualTo(LoadBalancers.LEAST_ACTIVE);
                    assertThat(echo.getCluster()).isEqualTo(ClusterMode.FAILSAFE);
                    assertThat(echo.getMethods().get("echo").getLoadBalancer()).isEqualTo(LoadBalancers.CONSISTENT_HASH);
                });
        // Empty means unset, as for any enum property: the defaults stay.
        runner.withPropertyValues("courier.rpc.consumer.load-balancer=", "courier.rpc.consumer.cluster=").run(context -> {
            assertThat(context).hasNotFailed();
            CourierRpcProperties properties = context.getBean(CourierRpcProperties.class);
            assertThat(properties.getConsumer().getLoadBalancer()).isEqualTo(LoadBalancers.ROUND_ROBIN);
            assertThat(properties.getConsumer().getCluster()).isEqualTo(ClusterMode.FAILOVER);
        });
    }

    private static void assertFailsWith(ApplicationContextRunner runner, String property, String message) {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining(message);
            Throwable root = context.getStartupFailure();
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(((InvalidConfigurationPropertyValueException) root).getName()).isEqualTo(property);
        });
    }

    // ---- configurations ---------------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @Import(Echo.class)
    static class EchoProvider {
    }

    @Configuration(proxyBeanMethods = false)
    static class SecondEchoProvider {
        @Bean
        Echo secondEcho() {
            return new Echo();
        }
    }

    @RpcService(version = "1.1", group = "${echo.group}")
    static class VersionedEcho extends Echo {
    }

    @RpcService(timeout = "${echo.timeout}")
    static class TimedEcho extends Echo {
    }

    @Configuration(proxyBeanMethods = false)
    @Import(TimedEcho.class)
    static class TimedProvider {
    }

    @Configuration(proxyBeanMethods = false)
    @Import(VersionedEcho.class)
    static class VersionedProvider {
    }

    @RpcService
    static class EchoAndClock extends Echo implements ClockService {
        @Override
        public long now() {
            return 42;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import(EchoAndClock.class)
    static class AmbiguousProvider {
    }

    @RpcService(interfaceClass = ClockService.class)
    static class ClockOnly extends EchoAndClock {
    }

    @Configuration(proxyBeanMethods = false)
    @Import(ClockOnly.class)
    static class ClockProvider {
    }

    @RpcService(interfaceClass = ClockService.class)
    static class NotAClock extends Echo {
    }

    @Configuration(proxyBeanMethods = false)
    @Import(NotAClock.class)
    static class WrongInterfaceProvider {
    }

    @Configuration(proxyBeanMethods = false)
    static class UserSerializer {
        @Bean
        Serializer mySerializer() {
            return new JsonSerializer();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserClient {
        @Bean(destroyMethod = "close")
        RpcClient myClient() {
            return RpcClient.builder().options(ClientOptions.builder().connectionsPerAddress(3).build()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserServer {
        @Bean
        RpcServer myServer() {
            return RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserExecutor {
        @Bean(name = CourierRpcAutoConfiguration.EXECUTOR_BEAN_NAME, destroyMethod = "shutdown")
        ExecutorService courierRpcExecutor() {
            AtomicInteger n = new AtomicInteger();
            return Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "my-courier-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Interceptors {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        ClientInterceptor secondClientInterceptor() {
            return chain -> {
                calls.add("client-2");
                return chain.proceed(chain.request());
            };
        }

        @Bean
        @Order(1)
        ClientInterceptor firstClientInterceptor() {
            return chain -> {
                calls.add("client-1");
                return chain.proceed(chain.request());
            };
        }

        @Bean
        ServerInterceptor serverInterceptor() {
            return chain -> {
                calls.add("server");
                return chain.proceed(chain.request());
            };
        }

        @Bean
        AdmissionControl admissionControl() {
            return method -> {
                calls.add("admission");
                return null;
            };
        }
    }

    /** Records what a provider registers, and whether its server still ran when it unregistered. */
    static class RecordingRegistry implements Registry {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile RpcServer server;
        volatile Boolean serverAcceptedCallsAtUnregister;

        @Override
        public void register(ProviderInstance instance) {
            events.add("register " + instance.serviceKey() + " " + instance.address() + " " + instance.tags());
        }

        @Override
        public void unregister(ProviderInstance instance) {
            events.add("unregister " + instance.serviceKey() + " " + instance.address());
            // Withdrawn before the server stops accepting: the port still takes connections.
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
                serverAcceptedCallsAtUnregister = socket.isConnected();
            } catch (IOException e) {
                serverAcceptedCallsAtUnregister = false;
            }
        }

        @Override
        public void subscribe(ServiceKey serviceKey, RegistryListener listener) {
            listener.onProviders(serviceKey, List.of());
        }

        @Override
        public void unsubscribe(ServiceKey serviceKey, RegistryListener listener) {
            // Nothing to stop: subscribe delivers once.
        }

        @Override
        public void close() {
            // Holds nothing.
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        final AtomicInteger server = new AtomicInteger();
        final AtomicInteger client = new AtomicInteger();

        @Bean
        RpcServerCustomizer countingServerCustomizer() {
            return builder -> server.incrementAndGet();
        }

        @Bean
        RpcClientCustomizer countingClientCustomizer() {
            return builder -> client.incrementAndGet();
        }
    }
}
