package io.courier.rpc.stream;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.RpcStreams;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.config.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Streams of each direction over {@link Transport#LOCAL}, with flow control as over TCP. */
@Timeout(60)
class LocalTransportStreamingTest {

    private final QuoteServiceImpl impl = new QuoteServiceImpl();
    private RpcServer server;
    private RpcClient client;
    private QuoteService quotes;

    @BeforeEach
    void start() {
        server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0)
                        .transport(Transport.LOCAL).shutdownGrace(Duration.ofMillis(500)).build())
                .service(QuoteService.class, impl).build().start();
        client = RpcClient.builder().options(ClientOptions.builder().transport(Transport.LOCAL).build()).build();
        quotes = client.reference(ReferenceConfig.builder(QuoteService.class)
                .address("127.0.0.1:" + server.address().getPort()).timeout(Duration.ofSeconds(5)).retries(0).build());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void serverStreams() {
        List<Integer> received = new ArrayList<>();
        try (RpcStreams.StreamIterator<Integer> it = RpcStreams.iterate(quotes.count(10_000))) {
            it.forEachRemaining(received::add);
        }
        assertThat(received).hasSize(10_000);
        assertThat(received.get(9_999)).isEqualTo(9_999);
    }

    @Test
    void clientAndBidirectionalStreams() {
        assertThat(quotes.sum(Flux.range(1, 10_000)).block()).isEqualTo(50_005_000L);
        List<String> many = quotes.shout(Flux.range(0, 5000).map(i -> "m" + i)).collectList().block();
        assertThat(many).hasSize(5000);
        assertThat(many.get(4999)).isEqualTo("M4999");
    }

    @Test
    void largeElementsStreamUnderBackpressure() {
        assertThat(quotes.blobs(64, 256 * 1024).map(b -> b.length).reduce(0L, Long::sum).block())
                .isEqualTo(64L * 256 * 1024);
    }
}
