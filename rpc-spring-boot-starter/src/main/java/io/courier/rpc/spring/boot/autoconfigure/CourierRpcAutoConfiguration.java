package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.interceptor.AdmissionControl;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.courier.rpc.spring.RpcReference;
import io.courier.rpc.spring.RpcService;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

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
 * {@link ExecutorService} bean named {@value #EXECUTOR_BEAN_NAME} when there is one.
 * {@link ServerInterceptor}, {@link AdmissionControl} and {@link ClientInterceptor} beans join
 * the chains in {@link org.springframework.core.annotation.Order} order (the first outermost);
 * {@link RpcServerCustomizer} and {@link RpcClientCustomizer} beans adjust the builders last.
 */
@AutoConfiguration
@ConditionalOnClass(RpcServer.class)
@EnableConfigurationProperties(CourierRpcProperties.class)
public final class CourierRpcAutoConfiguration {

    /** Name of the optional {@link ExecutorService} bean that runs service methods. */
    public static final String EXECUTOR_BEAN_NAME = "courierRpcExecutor";

    @Bean
    static RpcReferenceAnnotationBeanPostProcessor courierRpcReferenceAnnotationBeanPostProcessor() {
        return new RpcReferenceAnnotationBeanPostProcessor();
    }

    @Bean
    ServiceOverrides courierRpcServiceOverrides(CourierRpcProperties properties, ResourceLoader resourceLoader,
            Environment environment) {
        return new ServiceOverrides(properties.getServices(), resourceLoader.getClassLoader(),
                ConfigurationPropertySources.get(environment));
    }

    @Bean
    @ConditionalOnMissingBean
    Serializer courierSerializer(CourierRpcProperties properties) {
        return PropertyMapping.serializer(properties.getSerialization());
    }

    @Bean
    @ConditionalOnMissingBean
    RpcClient courierRpcClient(CourierRpcProperties properties, Serializer serializer,
            ObjectProvider<Registry> registry, ObjectProvider<ClientInterceptor> interceptors,
            ObjectProvider<RpcClientCustomizer> customizers) {
        RpcClient.Builder builder = RpcClient.builder()
                .options(PropertyMapping.clientOptions(properties.getConsumer()))
                .serializer(serializer);
        registry.ifAvailable(builder::registry);
        interceptors.orderedStream().forEach(builder::interceptor);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(OnRegistryAddressCondition.class)
    Registry courierRegistry(CourierRpcProperties properties, ResourceLoader resourceLoader) {
        return PropertyMapping.registry(properties.getRegistry().getAddress(), resourceLoader.getClassLoader());
    }

    @Bean(RpcReferenceAnnotationBeanPostProcessor.FACTORY_BEAN_NAME)
    RpcReferenceFactory courierRpcReferenceFactory(RpcClient client, CourierRpcProperties properties,
            ServiceOverrides overrides, Environment environment, ObjectProvider<Registry> registry) {
        return new RpcReferenceFactory(client, properties, overrides, environment, registry.getIfAvailable() != null);
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
                ObjectProvider<RpcServerCustomizer> customizers) {
            CourierRpcProperties.Server server = properties.getServer();
            RpcServer.Builder builder = RpcServer.builder()
                    .options(PropertyMapping.serverOptions(server))
                    .tags(server.getTags().toArray(String[]::new));
            if (server.getAdvertisedHost() != null && !server.getAdvertisedHost().isBlank()) {
                builder.advertisedHost(server.getAdvertisedHost());
            }
            registry.ifAvailable(builder::registry);
            for (ServiceConfig<?> service : new RpcServiceBeans(beanFactory, overrides, environment).configs()) {
                builder.service(service);
            }
            acceptedSerializers(properties, serializers).forEach(builder::serializer);
            executor.ifAvailable(builder::executor);
            interceptors.orderedStream().forEach(builder::interceptor);
            admissionControls.orderedStream().forEach(builder::admissionControl);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder.build();
        }

        @Bean
        @ConditionalOnMissingBean
        CourierRpcServerLifecycle courierRpcServerLifecycle(RpcServer server) {
            return new CourierRpcServerLifecycle(server);
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
