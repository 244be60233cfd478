package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A provider application ({@link SpringBootTest}) and a consumer application started beside it,
 * talking over a real socket on 127.0.0.1.
 */
@SpringBootTest(classes = TestApplications.Provider.class, properties = {
        "courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0",
        "management.endpoints.web.exposure.include=health,courier"})
class ProviderConsumerIntegrationTests {

    @Autowired
    private RpcServer server;

    @Autowired
    private Echo echo;

    @Autowired
    private CourierRpcEndpoint providerEndpoint;

    @Autowired
    private CourierRpcHealthIndicator health;

    @Test
    void consumerCallsProvider() {
        try (ConfigurableApplicationContext consumer = consumer("direct://127.0.0.1:" + server.address().getPort())) {
            EchoService remote = consumer.getBean(TestApplications.EchoCaller.class).echo;

            assertThat(remote.echo("hi")).isEqualTo("echo:hi");
            assertThat(remote.echoAsync("later")).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("async:later");
            assertThat(remote.threadName()).startsWith("courier-server-worker");
            assertThatThrownBy(() -> remote.fail("bad input"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("bad input");
            remote.record("one-way");
            await().atMost(Duration.ofSeconds(5)).until(() -> echo.recorded.contains("one-way"));
        }
    }

    @Test
    void annotationTimeoutWinsOverConsumerDefault() {
        try (ConfigurableApplicationContext consumer = consumer("direct://127.0.0.1:" + server.address().getPort(),
                "courier.rpc.consumer.timeout=1s")) {
            var config = consumer.getBean(RpcReferenceFactory.class).injectionPoints().keySet().iterator().next();
            assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        }
    }

    @Test
    void endpointAndHealthDescribeBothSides() {
        try (ConfigurableApplicationContext consumer = consumer("direct://127.0.0.1:" + server.address().getPort())) {
            consumer.getBean(TestApplications.EchoCaller.class).echo.echo("connect");

            CourierRpcEndpoint.ServerDescriptor provided = providerEndpoint.courier().server();
            assertThat(provided.running()).isTrue();
            assertThat(provided.address()).isEqualTo("127.0.0.1:" + server.address().getPort());
            assertThat(provided.services()).containsKey(EchoService.class.getName());
            assertThat(provided.services().get(EchoService.class.getName())).anyMatch(s -> s.startsWith("echo("));
            assertThat(provided.connections()).isPositive();

            CourierRpcEndpoint.CourierDescriptor consumed = consumer.getBean(CourierRpcEndpoint.class).courier();
            assertThat(consumed.server()).isNull();
            assertThat(consumed.consumers()).singleElement().satisfies(c -> {
                assertThat(c.service()).isEqualTo(EchoService.class.getName());
                assertThat(c.targets()).containsEntry("127.0.0.1:" + server.address().getPort(), 1);
                assertThat(c.routes()).singleElement().asString().contains("127.0.0.1:" + server.address().getPort());
                assertThat(c.timeout()).isEqualTo("PT5S");
                assertThat(c.cluster()).isEqualTo("failover");
                assertThat(c.tag()).isEmpty();
                assertThat(c.async()).isFalse();
                assertThat(c.injectionPoints()).singleElement().asString().contains("field 'echo'");
            });

            Health h = health.health(true);
            assertThat(h.getStatus()).isEqualTo(Status.UP);
            assertThat(h.getDetails()).containsEntry("address", "127.0.0.1:" + server.address().getPort())
                    .containsKey("connections").containsKey("services");
        }
    }

    @Test
    void consumerWithoutCheckStartsBeforeProviderAndConnectsLater() throws IOException {
        int port = RpcReferenceInjectionTests.freePort();
        try (ConfigurableApplicationContext consumer = consumer("direct://127.0.0.1:" + port,
                "courier.rpc.consumer.check=false", "courier.rpc.consumer.reconnect-delay-max=300ms")) {
            EchoService remote = consumer.getBean(TestApplications.EchoCaller.class).echo;
            try (ConfigurableApplicationContext lateProvider = new SpringApplicationBuilder(TestApplications.Provider.class)
                    .web(WebApplicationType.NONE)
                    .properties("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=" + port)
                    .run()) {
                assertThat(lateProvider.getBean(RpcServer.class).address().getPort()).isEqualTo(port);
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                        .until(() -> "echo:up".equals(remote.echo("up")));
            }
        }
    }

    static ConfigurableApplicationContext consumer(String registryAddress, String... properties) {
        return new SpringApplicationBuilder(TestApplications.Consumer.class)
                .web(WebApplicationType.NONE)
                .properties("courier.rpc.registry.address=" + registryAddress, "courier.rpc.consumer.check=true",
                        "management.endpoints.web.exposure.include=health,courier", "spring.main.banner-mode=off")
                .properties(properties)
                .run();
    }
}
