package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.observation.DefaultRpcClientObservationConvention;
import io.courier.rpc.observation.DefaultRpcServerObservationConvention;
import io.courier.rpc.observation.RpcClientObservationConvention;
import io.courier.rpc.observation.RpcServerObservationContext;
import io.courier.rpc.observation.RpcServerObservationConvention;
import io.courier.rpc.spring.LocalRpcServerPort;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application with Boot's own Micrometer auto-configuration and its own observation beans:
 * its {@code RpcServerObservationConvention} and {@code RpcClientObservationConvention} beans name
 * and tag Courier's timers; Courier's gauges follow the server's load (one worker thread, so a
 * second held call waits in the queue).
 */
@SpringBootTest(classes = ObservationBeansIntegrationTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0",
                "courier.rpc.consumer.retries=0", "courier.rpc.consumer.timeout=20s",
                "courier.rpc.server.worker-threads=1"})
@Timeout(60)
class ObservationBeansIntegrationTests {

    @LocalRpcServerPort
    int port;

    @Autowired
    RpcClient client;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Echo echoBean;

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Echo.class)
    static class App {

        @Bean
        RpcServerObservationConvention regionConvention() {
            return new DefaultRpcServerObservationConvention() {
                @Override
                public KeyValues getLowCardinalityKeyValues(RpcServerObservationContext context) {
                    return super.getLowCardinalityKeyValues(context).and("region", "eu-west");
                }
            };
        }

        @Bean
        RpcClientObservationConvention renamingConvention() {
            return new DefaultRpcClientObservationConvention() {
                @Override
                public String getName() {
                    return "acme.outbound";
                }
            };
        }
    }

    private EchoService echo() {
        return client.reference(EchoService.class, "127.0.0.1:" + port);
    }

    @Test
    void conventionBeansNameAndTagTheTimers() {
        assertThat(echo().echo("named")).isEqualTo("echo:named");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(meters.get("courier.rpc.server").tag("region", "eu-west").tag("rpc.method", "echo")
                    .timer().count()).isPositive();
            assertThat(meters.get("acme.outbound").tag("rpc.method", "echo").tag("rpc.status", "OK")
                    .timer().count()).isPositive();
        });
        assertThat(meters.find("courier.rpc.client").timer()).isNull();
    }

    @Test
    void gaugesFollowConnectionsCallsInFlightAndTheQueue() {
        EchoService echo = echo();
        assertThat(echo.echo("connect")).isEqualTo("echo:connect");
        assertThat(gauge("courier.rpc.server.connections")).isPositive();
        assertThat(gauge("courier.rpc.client.connections")).isPositive();
        assertThat(gauge("courier.rpc.server.calls.active")).isZero();

        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> echo.hold("first"));
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("courier.rpc.server.calls.active") == 1);
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> echo.hold("second"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(gauge("courier.rpc.server.calls.active")).isEqualTo(2);
            assertThat(gauge("courier.rpc.server.queue.size")).isEqualTo(1);
        });

        echoBean.release.countDown();
        assertThat(running.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("held:first");
        assertThat(waiting.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("held:second");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(gauge("courier.rpc.server.calls.active")).isZero();
            assertThat(gauge("courier.rpc.server.queue.size")).isZero();
        });
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }
}
