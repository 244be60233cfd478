package io.courier.rpc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.interceptor.ConcurrencyLimiter;
import io.courier.rpc.interceptor.LimitRules;
import io.courier.rpc.serialization.json.JsonSerializer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** A stream holds its concurrency slot until it ends; streams work with the JSON serializer too. */
@Timeout(30)
class StreamLimitsAndJsonTest {

    @Test
    void aStreamHoldsItsConcurrencySlotUntilItEnds() throws Exception {
        QuoteServiceImpl impl = new QuoteServiceImpl();
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(LimitRules.<Integer>builder()
                .method(QuoteService.class.getName(), "ticks", 1).build());
        try (RpcServer server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(QuoteService.class, impl).admissionControl(limiter).build().start();
             RpcClient client = RpcClient.builder().build()) {
            QuoteService quotes = client.reference(ReferenceConfig.builder(QuoteService.class)
                    .address("127.0.0.1:" + server.address().getPort()).retries(0).build());

            Disposable first = quotes.ticks().subscribe();
            assertThat(impl.ticksStarted.await(5, TimeUnit.SECONDS)).isTrue();
            Throwable refused = catchThrowable(() -> quotes.ticks().blockFirst(Duration.ofSeconds(5)));
            assertThat(refused).isInstanceOf(RpcException.class);
            assertThat(((RpcException) refused).code()).isEqualTo(RpcErrorCode.SERVER_BUSY);

            first.dispose();
            assertThat(impl.ticksCancelled.await(5, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                    .until(() -> quotes.ticks().take(2).count().block(Duration.ofSeconds(5)) == 2);
        }
    }

    @Test
    void streamsInJson() {
        QuoteServiceImpl impl = new QuoteServiceImpl();
        try (RpcServer server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(QuoteService.class, impl).build().start();
             RpcClient client = RpcClient.builder().serializer(new JsonSerializer()).build()) {
            QuoteService quotes = client.reference(ReferenceConfig.builder(QuoteService.class)
                    .address("127.0.0.1:" + server.address().getPort()).build());

            assertThat(quotes.quotes("A,BB").collectList().block())
                    .containsExactly(new QuoteService.Quote("A", 100), new QuoteService.Quote("BB", 200));
            assertThat(quotes.sum(Flux.range(1, 100)).block()).isEqualTo(5050L);
            assertThat(quotes.shout(Flux.just("json")).collectList().block()).containsExactly("JSON");
            Throwable error = catchThrowable(() -> quotes.failAfter(1).blockLast());
            assertThat(error).isInstanceOf(IllegalStateException.class).hasMessage("broke after 1");
        }
    }
}
