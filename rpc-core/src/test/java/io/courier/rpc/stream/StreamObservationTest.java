package io.courier.rpc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.observation.ObservationClientInterceptor;
import io.courier.rpc.observation.ObservationServerInterceptor;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.adapter.JdkFlowAdapter;

/** An observation of a stream lasts as long as the stream and counts its messages, on both sides. */
@Timeout(30)
class StreamObservationTest {

    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    @Test
    void observationLastsTheWholeStreamAndCountsMessages() throws Exception {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        QuoteServiceImpl impl = new QuoteServiceImpl();
        try (RpcServer server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(QuoteService.class, impl).interceptor(new ObservationServerInterceptor(registry)).build().start();
             RpcClient client = RpcClient.builder().interceptor(new ObservationClientInterceptor(registry)).build()) {
            QuoteService quotes = client.reference(ReferenceConfig.builder(QuoteService.class)
                    .address("127.0.0.1:" + server.address().getPort()).timeout(Duration.ofSeconds(5)).build());

            assertThat(JdkFlowAdapter.flowPublisherToFlux(quotes.count(50)).count().block()).isEqualTo(50);
            await().atMost(Duration.ofSeconds(5)).until(() -> stopped.size() == 2);
            assertThat(stopped).allSatisfy(context -> {
                assertThat(context.getHighCardinalityKeyValue("rpc.stream.messages")).isEqualTo(
                        KeyValue.of("rpc.stream.messages", "50"));
                assertThat(context.getLowCardinalityKeyValue("rpc.status").getValue()).isEqualTo("OK");
            });

            stopped.clear();
            assertThat(quotes.ticks().take(3).collectList().block()).hasSize(3);
            await().atMost(Duration.ofSeconds(5)).until(() -> stopped.size() == 2);
            assertThat(stopped).extracting(c -> c.getLowCardinalityKeyValue("rpc.status").getValue())
                    .containsOnly("CANCELLED");
        }
    }
}
