package io.courier.rpc.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.rpc.spring.LocalRpcServerPort;
import io.courier.rpc.spring.RpcReference;
import io.courier.rpc.spring.RpcService;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Server, client and bidirectional streams between two Spring Boot applications: the provider's
 * {@code @RpcService} bean and the consumer's {@code @RpcReference} field need nothing more
 * than for single calls.
 */
@SpringBootTest(classes = StreamingIntegrationTests.Provider.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0"})
@Timeout(60)
class StreamingIntegrationTests {

    @LocalRpcServerPort
    int port;

    /** Every kind of stream, with Reactor's types. */
    public interface TickerService {

        Flux<String> prices(String symbol, int count);

        Mono<Integer> count(Flux<String> orders);

        Flux<String> confirm(Flux<String> orders);
    }

    @RpcService
    static class Ticker implements TickerService {

        @Override
        public Flux<String> prices(String symbol, int count) {
            return Flux.range(1, count).map(i -> symbol + "@" + i);
        }

        @Override
        public Mono<Integer> count(Flux<String> orders) {
            return orders.count().map(Long::intValue);
        }

        @Override
        public Flux<String> confirm(Flux<String> orders) {
            return orders.map(o -> "ok:" + o);
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Ticker.class)
    static class Provider {
    }

    @Component
    static class Trader {

        @RpcReference
        TickerService ticker;
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Trader.class)
    static class Consumer {
    }

    @Test
    void everyKindOfStreamBetweenTwoApplications() {
        try (ConfigurableApplicationContext consumer = new SpringApplicationBuilder(Consumer.class)
                .web(WebApplicationType.NONE)
                .properties("courier.rpc.registry.address=direct://127.0.0.1:" + port, "courier.rpc.server.enabled=false",
                        "spring.main.banner-mode=off")
                .run()) {
            TickerService ticker = consumer.getBean(Trader.class).ticker;

            assertThat(ticker.prices("ACME", 200).collectList().block(Duration.ofSeconds(20)))
                    .hasSize(200).startsWith("ACME@1").endsWith("ACME@200");
            assertThat(ticker.count(Flux.range(0, 300).map(i -> "o" + i)).block(Duration.ofSeconds(20)))
                    .isEqualTo(300);
            assertThat(ticker.confirm(Flux.just("a", "b")).collectList().block(Duration.ofSeconds(20)))
                    .containsExactly("ok:a", "ok:b");
        }
    }
}
