package io.courier.rpc.spring.test;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.support.TestPropertySourceUtils;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties an {@link RpcTest} sets: above the application's configuration, below the test's
 * own, and never port 7070.
 */
class RpcTestContextCustomizerTests {

    @Test
    void winsOverTheApplicationsConfiguration() {
        ConfigurableEnvironment environment = customized(null);

        assertThat(environment.getProperty("courier.rpc.server.transport")).isEqualTo("local");
        assertThat(environment.getProperty("courier.rpc.consumer.transport")).isEqualTo("local");
        int port = environment.getProperty("courier.rpc.server.port", Integer.class);
        assertThat(port).isNotEqualTo(7070).isBetween(49152, 65535);
        assertThat(environment.getProperty("courier.rpc.registry.address")).isEqualTo("direct://127.0.0.1:" + port);
    }

    @Test
    void eachContextGetsItsOwnPort() {
        assertThat(customized(null).getProperty("courier.rpc.server.port"))
                .isNotEqualTo(customized(null).getProperty("courier.rpc.server.port"));
    }

    @Test
    void theTestsOwnPropertiesWinAndTheirPortIsTheOneAddressed() {
        ConfigurableEnvironment environment = customized(Map.of("courier.rpc.server.port", "50001",
                "courier.rpc.server.shutdown-grace", "3s"));

        assertThat(environment.getProperty("courier.rpc.server.port")).isEqualTo("50001");
        assertThat(environment.getProperty("courier.rpc.registry.address")).isEqualTo("direct://127.0.0.1:50001");
        assertThat(environment.getProperty("courier.rpc.server.shutdown-grace")).isEqualTo("3s");
    }

    @Test
    void allInstancesAreEqualSoTheContextCacheIsNotSplit() {
        assertThat(new RpcTestContextCustomizer()).isEqualTo(new RpcTestContextCustomizer())
                .hasSameHashCodeAs(new RpcTestContextCustomizer());
    }

    private static ConfigurableEnvironment customized(Map<String, Object> testProperties) {
        GenericApplicationContext context = new GenericApplicationContext();
        ConfigurableEnvironment environment = context.getEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application.properties", Map.of(
                "courier.rpc.server.port", "7070", "courier.rpc.server.transport", "epoll",
                "courier.rpc.registry.address", "zookeeper://zk:2181")));
        if (testProperties != null) {
            environment.getPropertySources().addFirst(new MapPropertySource(
                    TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, testProperties));
        }
        new RpcTestContextCustomizer().customizeContext(context, null);
        return environment;
    }
}
