package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.spring.LocalRpcServerPort;
import io.courier.rpc.spring.RpcServerStartedEvent;
import io.courier.rpc.spring.RpcServerStoppedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bound port reaches tests as {@code @LocalRpcServerPort} and the
 * {@code local.courier.rpc.server.port} property, and the server's start and stop are published as
 * application events, as Spring Boot does for its web servers.
 */
@SpringBootTest(classes = LocalRpcServerPortTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0"})
@Timeout(60)
class LocalRpcServerPortTests {

    @LocalRpcServerPort
    int port;

    @Autowired
    RpcServer server;

    @Autowired
    Events events;

    /** Exports {@link Echo} and records the server events. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Echo.class)
    static class App {

        @Bean
        Events events() {
            return new Events();
        }
    }

    /** Every Courier server event, in order. */
    static final class Events implements ApplicationListener<ApplicationEvent> {

        final List<ApplicationEvent> received = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof RpcServerStartedEvent || event instanceof RpcServerStoppedEvent) {
                received.add(event);
            }
        }
    }

    @Test
    void injectsTheBoundPortAndPublishesTheStart() {
        assertThat(port).isPositive().isEqualTo(server.address().getPort());
        assertThat(events.received).as("events %s", events.received).singleElement().isInstanceOfSatisfying(RpcServerStartedEvent.class, e -> {
            assertThat(e.getServer()).isSameAs(server);
            assertThat(e.getPort()).isEqualTo(port);
        });
        try (RpcClient client = RpcClient.builder().build()) {
            assertThat(client.reference(EchoService.class, "127.0.0.1:" + port).echo("hi")).isEqualTo("echo:hi");
        }
    }

    @Test
    void publishesTheStopAfterTheServerClosed() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0",
                        "spring.main.banner-mode=off")
                .run();
        Events recorded = context.getBean(Events.class);
        RpcServer started = context.getBean(RpcServer.class);
        assertThat(context.getEnvironment().getProperty(RpcServerStartedEvent.PORT_PROPERTY, Integer.class))
                .isEqualTo(started.address().getPort());
        context.close();
        assertThat(recorded.received).hasSize(2).element(1).isInstanceOfSatisfying(RpcServerStoppedEvent.class, e -> {
            assertThat(e.getServer()).isSameAs(started);
            assertThat(started.isRunning()).isFalse();
        });
    }
}
