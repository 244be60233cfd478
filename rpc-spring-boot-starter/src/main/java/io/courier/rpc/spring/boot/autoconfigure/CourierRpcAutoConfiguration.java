package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.interceptor.AccessLogInterceptor;
import io.courier.rpc.interceptor.AdmissionControl;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.interceptor.RpcExceptionMapper;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.courier.rpc.spring.RpcReference;
import io.courier.rpc.spring.RpcService;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.boot.thread.Threading;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Auto-configuration of Courier RPC: a server exporting {@link RpcService} beans, and a client
 * whose proxies are injected into {@link RpcReference} fields and parameters.
 *
 * <p>Every bean a user may replace backs off when one of the same type exists: the
 * {@link Serializer} consumers write with, the {@link Registry}, the {@link RpcClient}, the
 * {@link RpcServer} and its lifecycle. The server's business threads come from an
 * {@link ExecutorService} bean named {@value #EXECUTOR_BEAN_NAME} when there is one; otherwise, with
 * {@code spring.threads.virtual.enabled=true} on Java 21 or later, each call runs on a virtual
 * thread of its own, at most {@code courier.rpc.server.worker-threads} at once.
 * {@link ServerInterceptor}, {@link AdmissionControl} and {@link ClientInterceptor} beans join
 * the chains in {@link org.springframework.core.annotation.Order} order (the first outermost);
 * {@link RpcServerCustomizer} and {@link RpcClientCustomizer} beans adjust the builders last.
 *
 * <p>The limits of {@link CourierRpcLimits} come before the beans: the server's rate limit, then
 * its concurrency limit, are its first admission controls, and the client's rate limit is the
 * innermost interceptor, so that every other interceptor sees the calls it refuses. The access log,
 * when enabled, is a {@link ServerInterceptor} bean ordered {@value #ACCESS_LOG_ORDER}, just
 * inside the observation interceptors of {@link CourierRpcObservationAutoConfiguration}.
 */
@AutoConfiguration
@ConditionalOnClass(RpcServer.class)
@EnableConfigurationProperties(CourierRpcProperties.class)
@ImportRuntimeHints(CourierRpcRuntimeHints.class)
public final class CourierRpcAutoConfiguration {

    /** Name of the optional {@link ExecutorService} bean that runs service methods. */
    public static final String EXECUTOR_BEAN_NAME = "courierRpcExecutor";

    /** Order of the access log interceptor: inside the observation, outside interceptor beans without an order. */
    public static final int ACCESS_LOG_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    @Bean
    static RpcReferenceAnnotationBeanPostProcessor courierRpcReferenceAnnotationBeanPostProcessor() {
        return new RpcReferenceAnnotationBeanPostProcessor();
    }

    @Bean
    ServiceOverrides courierRpcServiceOverrides(CourierRpcProperties properties, ResourceLoader resourceLoader,
            Environment environment) {
        // Every Courier bean needs these overrides: the whole configuration is checked here, once.
        UnknownPropertiesCheck.check(environment);
        return new ServiceOverrides(properties.getServices(), resourceLoader.getClassLoader(),
                ConfigurationPropertySources.get(environment));
    }

    @Bean
    @ConditionalOnMissingBean
    Serializer courierSerializer(CourierRpcProperties properties) {
        return PropertyMapping.serializer(properties.getSerialization());
    }

    @Bean
    CourierRpcLimits courierRpcLimits(Environment environment, ResourceLoader resourceLoader,
            ObjectProvider<RpcClient> client) {
        return new CourierRpcLimits(environment, resourceLoader.getClassLoader(), client);
    }

    @Bean
    SslBundleTls courierRpcSslBundleTls(ObjectProvider<SslBundles> sslBundles) {
        return new SslBundleTls(sslBundles);
    }

    @Bean
    @ConditionalOnMissingBean
    RpcClient courierRpcClient(CourierRpcProperties properties, Serializer serializer,
            ObjectProvider<Registry> registry, ObjectProvider<ClientInterceptor> interceptors, CourierRpcLimits limits,
            ObjectProvider<RpcClientCustomizer> customizers, SslBundleTls sslBundleTls) {
        ClientOptions options = PropertyMapping.clientOptions(properties.getConsumer());
        CourierRpcProperties.Ssl ssl = properties.getConsumer().getSsl();
        if (ssl.getBundle() != null && !ssl.getBundle().isBlank()) {
            options = options.toBuilder().tls(sslBundleTls.client(ssl.getBundle(), ssl.isVerifyHostname(),
                    PropertyMapping.PREFIX + "consumer.ssl.bundle")).build();
        }
        RpcClient.Builder builder = RpcClient.builder()
                .options(options)
                .serializer(serializer);
        registry.ifAvailable(builder::registry);
        interceptors.orderedStream().forEach(builder::interceptor);
        builder.interceptor(limits.consumerRateLimiter());
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /**
     * The registry {@code courier.rpc.registry.address} names, or none (a {@code null} bean, which
     * {@code ObjectProvider.getIfAvailable()} reports as absent) when it is unset or blank. Always
     * defined, and decided when the bean is created rather than by a condition: an ahead-of-time
     * processed application freezes its conditions at build time, and would otherwise ignore an
     * address given only at runtime, e.g. by an environment variable.
     */
    @Bean
    @ConditionalOnMissingBean
    Registry courierRegistry(CourierRpcProperties properties, ResourceLoader resourceLoader) {
        if (!StringUtils.hasText(properties.getRegistry().getAddress())) {
            return null;
        }
        return PropertyMapping.registry(properties.getRegistry(), resourceLoader.getClassLoader());
    }

    @Bean(RpcReferenceAnnotationBeanPostProcessor.FACTORY_BEAN_NAME)
    RpcReferenceFactory courierRpcReferenceFactory(RpcClient client, CourierRpcProperties properties,
            ServiceOverrides overrides, Environment environment, ObjectProvider<Registry> registry,
            CourierRpcLimits limits, SslBundleTls sslBundleTls) {
        return new RpcReferenceFactory(client, properties, overrides, environment, registry.getIfAvailable() != null,
                limits, sslBundleTls);
    }

    /** Re-reads the limits when Spring Cloud reports changed properties. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = LimitsRefreshListener.ENVIRONMENT_CHANGE_EVENT)
    static class LimitsRefreshConfiguration {

        @Bean
        LimitsRefreshListener courierRpcLimitsRefreshListener(ObjectProvider<CourierRpcLimits> limits) {
            return new LimitsRefreshListener(limits);
        }
    }

    /** The provider side, present when the application has {@link RpcService} beans. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "courier.rpc.server.enabled", matchIfMissing = true)
    @ConditionalOnBean(annotation = RpcService.class)
    static class ServerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RpcServer courierRpcServer(CourierRpcProperties properties, ListableBeanFactory beanFactory,
                ServiceOverrides overrides, Environment environment, ObjectProvider<Serializer> serializers,
                ObjectProvider<Registry> registry, @Qualifier(EXECUTOR_BEAN_NAME) ObjectProvider<ExecutorService> executor,
                ObjectProvider<ServerInterceptor> interceptors, ObjectProvider<AdmissionControl> admissionControls,
                CourierRpcLimits limits, ObjectProvider<RpcServerCustomizer> customizers, SslBundleTls sslBundleTls,
                ObjectProvider<RpcExceptionMapper> exceptionMappers) {
            CourierRpcProperties.Server server = properties.getServer();
            ServerOptions options = PropertyMapping.serverOptions(server);
            CourierRpcProperties.ServerSsl ssl = server.getSsl();
            if (ssl.getBundle() != null && !ssl.getBundle().isBlank()) {
                options = options.toBuilder().tls(sslBundleTls.server(ssl.getBundle(), ssl.getClientAuth(),
                        PropertyMapping.PREFIX + "server.ssl.bundle")).build();
            }
            RpcServer.Builder builder = RpcServer.builder()
                    .options(options)
                    .tags(server.getTags().toArray(String[]::new));
            if (server.getAdvertisedHost() != null && !server.getAdvertisedHost().isBlank()) {
                builder.advertisedHost(server.getAdvertisedHost());
            }
            registry.ifAvailable(builder::registry);
            List<ServiceConfig<?>> services = new RpcServiceBeans(beanFactory, overrides, environment).configs();
            services.forEach(builder::service);
            limits.exported(services);
            acceptedSerializers(properties, serializers).forEach(builder::serializer);
            ExecutorService own = executor.getIfAvailable();
            if (own != null) {
                builder.executor(own);
            } else if (Threading.VIRTUAL.isActive(environment)) {
                // spring.threads.virtual.enabled on Java 21+: a virtual thread per call, still at most
                // worker-threads at once, so a full server answers SERVER_BUSY instead of queueing.
                builder.threadPerCall(new VirtualThreadTaskExecutor("courier-call-").getVirtualThreadFactory());
            }
            interceptors.orderedStream().forEach(builder::interceptor);
            exceptionMappers.orderedStream().forEach(builder::exceptionMapper);
            // Rate first: refusing there is cheapest and leaves the concurrency counts alone.
            builder.admissionControl(limits.serverRateLimiter());
            builder.admissionControl(limits.serverConcurrencyLimiter());
            admissionControls.orderedStream().forEach(builder::admissionControl);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder.build();
        }

        /**
         * Withdraws the services from the registry as soon as the application refuses traffic
         * (readiness REFUSING_TRAFFIC, e.g. at the start of a graceful shutdown or when an
         * operator says so), and announces them again when it accepts traffic.
         */
        @Bean
        ApplicationListener<AvailabilityChangeEvent<ReadinessState>> courierRpcReadinessListener(RpcServer server) {
            return event -> {
                if (event.getState() == ReadinessState.REFUSING_TRAFFIC) {
                    server.withdraw();
                } else {
                    server.announce();
                }
            };
        }

        @Bean
        @ConditionalOnMissingBean
        CourierRpcServerLifecycle courierRpcServerLifecycle(RpcServer server, ApplicationEventPublisher events,
                ConfigurableEnvironment environment) {
            return new CourierRpcServerLifecycle(server, events, environment);
        }

        @Bean
        @Order(ACCESS_LOG_ORDER)
        @ConditionalOnMissingBean
        @ConditionalOnBooleanProperty("courier.rpc.access-log.enabled")
        AccessLogInterceptor courierAccessLogInterceptor(CourierRpcProperties properties) {
            CourierRpcProperties.AccessLog accessLog = properties.getAccessLog();
            AccessLogInterceptor[] interceptor = new AccessLogInterceptor[1];
            PropertyMapping.set(PropertyMapping.PREFIX + "access-log.sample-rate", accessLog.getSampleRate(),
                    () -> interceptor[0] = new AccessLogInterceptor(accessLog.getSampleRate(), accessLog.isLogArguments()));
            return interceptor[0];
        }

        /**
         * A provider answers every consumer: it accepts the serializer beans, plus Kryo and JSON
         * when no bean already has their wire id.
         */
        private static List<Serializer> acceptedSerializers(CourierRpcProperties properties,
                ObjectProvider<Serializer> beans) {
            List<Serializer> accepted = new ArrayList<>();
            beans.orderedStream().forEach(accepted::add);
            for (Serializer builtIn : List.of(PropertyMapping.kryo(properties.getSerialization()), new JsonSerializer())) {
                if (accepted.stream().noneMatch(s -> s.id() == builtIn.id())) {
                    accepted.add(builtIn);
                }
            }
            return accepted;
        }
    }
}
