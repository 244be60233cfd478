package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.spring.RpcReference;
import io.courier.rpc.spring.RpcService;
import io.courier.rpc.test.InMemoryRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Gray release by tag, over real sockets: two provider applications, one started with
 * {@code courier.rpc.server.tags=canary}, and consumer applications routing by tag.
 *
 * <p>The tags travel through a registry: here one shared in the test's memory, in production
 * ZooKeeper. {@code direct://} addresses carry no tags, so with them a reference asking for a tag
 * reaches untagged providers only through {@code fallback-to-untagged}.
 */
class TagRoutingIntegrationTests {

    private static final int CALLS = 10;

    @Test
    @SuppressWarnings("try")
    void untaggedCallsReachOnlyUntaggedProvidersAndTaggedCallsOnlyTheCanary() {
        InMemoryRegistry registry = new InMemoryRegistry();
        try (ConfigurableApplicationContext stable = provider(registry, "stable");
                ConfigurableApplicationContext canary = provider(registry, "canary", "courier.rpc.server.tags=canary");
                ConfigurableApplicationContext consumer = consumer(registry)) {
            Callers callers = consumer.getBean(Callers.class);
            assertThat(names(callers.untagged)).containsExactly(Map.entry("stable", CALLS));
            assertThat(names(callers.canary)).containsExactly(Map.entry("canary", CALLS));
            try (RpcContext.Scope ignored = RpcContext.withAttachment("courier.tag", "canary")) {
                assertThat(names(callers.untagged)).containsExactly(Map.entry("canary", CALLS));
            }

            // The endpoint shows each reference's routing table, tags included.
            assertThat(consumer.getBean(CourierRpcEndpoint.class).courier().consumers())
                    .filteredOn(c -> c.tag().equals("canary")).singleElement()
                    .satisfies(c -> assertThat(c.routes()).hasSize(2)
                            .anySatisfy(route -> assertThat(route).contains("127.0.0.1:" + port(canary)).contains("canary"))
                            .anySatisfy(route -> assertThat(route).contains("127.0.0.1:" + port(stable))));
        }
    }

    @Test
    @SuppressWarnings("try")
    void consumerTagPropertyRoutesReferencesWithoutATagOfTheirOwn() {
        InMemoryRegistry registry = new InMemoryRegistry();
        try (ConfigurableApplicationContext stable = provider(registry, "stable");
                ConfigurableApplicationContext canary = provider(registry, "canary", "courier.rpc.server.tags=canary");
                ConfigurableApplicationContext consumer = consumer(registry, "courier.rpc.consumer.tag=canary")) {
            assertThat(names(consumer.getBean(Callers.class).untagged)).containsExactly(Map.entry("canary", CALLS));
            // Without the property, the same reference reaches only the untagged provider.
            try (ConfigurableApplicationContext plain = consumer(registry)) {
                assertThat(names(plain.getBean(Callers.class).untagged)).containsExactly(Map.entry("stable", CALLS));
            }
        }
    }

    @Test
    void directAddressesCarryNoTags() {
        try (ConfigurableApplicationContext first = provider(null, "first");
                ConfigurableApplicationContext second = provider(null, "second", "courier.rpc.server.tags=canary")) {
            String direct = "courier.rpc.registry.address=direct://127.0.0.1:" + port(first) + ",127.0.0.1:" + port(second);
            try (ConfigurableApplicationContext consumer = consumer(null, direct)) {
                Callers callers = consumer.getBean(Callers.class);
                // Round robin over both addresses, whatever their tags; the tag falls back to them.
                assertThat(names(callers.untagged)).containsExactly(Map.entry("first", CALLS / 2),
                        Map.entry("second", CALLS / 2));
                assertThat(names(callers.canary)).containsOnlyKeys("first", "second");
            }
            try (ConfigurableApplicationContext consumer = consumer(null, direct,
                    "courier.rpc.services.NamedService.fallback-to-untagged=false")) {
                assertThatThrownBy(consumer.getBean(Callers.class).canary::name).isInstanceOfSatisfying(RpcException.class,
                        e -> assertThat(e.code()).isEqualTo(RpcErrorCode.NO_PROVIDER));
            }
        }
    }

    private static Map<String, Integer> names(NamedService service) {
        Map<String, Integer> names = new TreeMap<>();
        for (int i = 0; i < CALLS; i++) {
            names.merge(service.name(), 1, Integer::sum);
        }
        return names;
    }

    private static int port(ConfigurableApplicationContext provider) {
        return provider.getBean(RpcServer.class).address().getPort();
    }

    /** Starts a provider named {@code name}, announcing itself to {@code registry} when there is one. */
    private static ConfigurableApplicationContext provider(Registry registry, String name, String... properties) {
        return application(NamedProvider.class, registry).properties("courier.rpc.server.host=127.0.0.1",
                "courier.rpc.server.port=0", "provider.name=" + name).properties(properties).run();
    }

    private static ConfigurableApplicationContext consumer(Registry registry, String... properties) {
        return application(Consumer.class, registry).properties("courier.rpc.consumer.retries=0",
                "management.endpoints.web.exposure.include=courier").properties(properties).run();
    }

    private static SpringApplicationBuilder application(Class<?> type, Registry registry) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(type).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off");
        if (registry != null) {
            // A Registry bean replaces the one courier.rpc.registry.address would create.
            builder.initializers(context -> context.getBeanFactory().registerSingleton("sharedRegistry", registry));
        }
        return builder;
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Named.class)
    static class NamedProvider {
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Callers.class)
    static class Consumer {
    }

    @RpcService
    static class Named implements NamedService {

        private final String name;

        Named(@Value("${provider.name}") String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }
    }

    @Component
    static class Callers {

        @RpcReference
        NamedService untagged;

        @RpcReference(tag = "canary")
        NamedService canary;
    }
}
