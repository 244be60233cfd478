package io.courier.rpc.registry.zookeeper.spring;

import io.courier.rpc.spring.RpcReference;
import io.courier.rpc.spring.RpcService;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two provider applications and a consumer application that find each other only through ZooKeeper. */
@Timeout(120)
class SpringZookeeperDiscoveryTest {

    /** The shared API. */
    public interface Greeter {
        String whoami();
    }

    /** A provider application; its name comes from a property. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ProviderApp {

        @Bean
        NamedGreeter greeter(org.springframework.core.env.Environment env) {
            return new NamedGreeter(env.getRequiredProperty("provider.name"));
        }
    }

    @RpcService
    static class NamedGreeter implements Greeter {

        private final String name;

        NamedGreeter(String name) {
            this.name = name;
        }

        @Override
        public String whoami() {
            return name;
        }
    }

    /** A consumer application. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ConsumerApp {

        @Bean
        Caller caller() {
            return new Caller();
        }
    }

    static class Caller {

        @RpcReference(loadBalancer = "round-robin")
        Greeter greeter;
    }

    private TestingServer zookeeper;
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @BeforeEach
    void startZookeeper() throws Exception {
        zookeeper = new TestingServer(true);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
        zookeeper.close();
    }

    private ConfigurableApplicationContext start(Class<?> app, String... properties) {
        List<String> all = new ArrayList<>(List.of(properties));
        all.add("courier.rpc.registry.address=zookeeper://" + zookeeper.getConnectString() + "?sessionTimeout=5s");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(app)
                .web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new))
                .run();
        contexts.add(context);
        return context;
    }

    private ConfigurableApplicationContext provider(String name) {
        return start(ProviderApp.class, "provider.name=" + name, "courier.rpc.server.host=127.0.0.1",
                "courier.rpc.server.port=0", "courier.rpc.server.advertised-host=127.0.0.1",
                "spring.application.name=" + name);
    }

    @Test
    void consumerBalancesAcrossProvidersFoundInZookeeper() {
        ConfigurableApplicationContext a = provider("provider-a");
        provider("provider-b");
        Greeter greeter = start(ConsumerApp.class, "courier.rpc.server.enabled=false").getBean(Caller.class).greeter;

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            Map<String, Integer> seen = new TreeMap<>();
            for (int i = 0; i < 20; i++) {
                seen.merge(greeter.whoami(), 1, Integer::sum);
            }
            assertThat(seen).containsOnlyKeys("provider-a", "provider-b");
        });

        // A provider that shuts down withdraws itself first: calls keep succeeding on the other.
        a.close();
        contexts.remove(a);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int i = 0; i < 10; i++) {
                assertThat(greeter.whoami()).isEqualTo("provider-b");
            }
        });
        assertThat(a.isActive()).isFalse();
    }
}
