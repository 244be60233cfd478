package io.courier.rpc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.RpcStreams;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

/** Each kind of stream end to end, on real sockets. */
@Timeout(60)
class StreamingTest {

    private final QuoteServiceImpl impl = new QuoteServiceImpl();
    private RpcServer server;
    private RpcClient client;
    private QuoteService quotes;

    @BeforeEach
    void start() {
        server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0)
                        .shutdownGrace(Duration.ofMillis(500)).build())
                .service(QuoteService.class, impl).build().start();
        client = RpcClient.builder().build();
        quotes = client.reference(ReferenceConfig.builder(QuoteService.class)
                .address("127.0.0.1:" + server.address().getPort()).timeout(Duration.ofSeconds(5)).retries(0).build());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void serverStreamsWithTheJdkType() {
        List<Integer> received = new ArrayList<>();
        try (RpcStreams.StreamIterator<Integer> it = RpcStreams.iterate(quotes.count(1000))) {
            it.forEachRemaining(received::add);
        }
        assertThat(received).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(received.get(i)).isEqualTo(i);
        }
    }

    @Test
    void serverStreamsRecordsWithReactor() {
        assertThat(quotes.quotes("AB,CDE").collectList().block())
                .containsExactly(new QuoteService.Quote("AB", 200), new QuoteService.Quote("CDE", 300));
    }

    @Test
    void emptyStreamCompletes() {
        assertThat(Flux.from(reactor.adapter.JdkFlowAdapter.flowPublisherToFlux(quotes.count(0))).collectList().block())
                .isEmpty();
    }

    @Test
    void clientStreams() {
        assertThat(quotes.sum(Flux.range(1, 10_000)).block()).isEqualTo(50_005_000L);
        assertThat(quotes.sum(Flux.empty()).block()).isZero();
    }

    @Test
    void clientStreamsWithABlockingAnswer() {
        assertThat(quotes.total(reactor.adapter.JdkFlowAdapter.publisherToFlowPublisher(Flux.range(1, 100))))
                .isEqualTo(5050L);
    }

    @Test
    void bidirectionalStreams() {
        assertThat(quotes.shout(Flux.just("a", "b", "c")).collectList().block()).containsExactly("A", "B", "C");
        List<String> many = quotes.shout(Flux.range(0, 5000).map(i -> "m" + i)).collectList().block();
        assertThat(many).hasSize(5000);
        assertThat(many.get(4999)).isEqualTo("M4999");
    }

    @Test
    void unaryMonoIsLazyAndAnswers() {
        var mono = quotes.greet("ann");
        assertThat(mono.block()).isEqualTo("hello ann");
        assertThat(mono.block()).as("each subscription calls again").isEqualTo("hello ann");
    }

    @Test
    void providerErrorMidStreamReachesTheSubscriberAfterTheMessages() {
        List<Integer> received = new ArrayList<>();
        Throwable error = catchThrowable(() -> quotes.failAfter(5).doOnNext(received::add).blockLast());
        assertThat(received).containsExactly(0, 1, 2, 3, 4);
        assertThat(error).isInstanceOf(IllegalStateException.class).hasMessage("broke after 5");
    }

    @Test
    void consumerCancelStopsTheProvidersPublisher() throws Exception {
        List<Long> first = quotes.ticks().take(5).collectList().block();
        // Ticks before the consumer's first credit are dropped by the provider: any five in a row.
        assertThat(first).hasSize(5);
        for (int i = 1; i < 5; i++) {
            assertThat(first.get(i)).isEqualTo(first.get(0) + i);
        }
        assertThat(impl.ticksCancelled.await(5, TimeUnit.SECONDS)).as("provider's publisher cancelled").isTrue();
    }

    @Test
    void deadlineEndsTheWholeStream() throws Exception {
        long start = System.nanoTime();
        var last = quotes.ticksWithDeadline().then().toFuture();
        assertThat(impl.ticksStarted.await(5, TimeUnit.SECONDS)).as("provider's publisher subscribed").isTrue();
        Throwable error = catchThrowable(() -> last.get(10, TimeUnit.SECONDS));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(error).hasCauseInstanceOf(RpcException.class);
        assertThat(((RpcException) error.getCause()).code()).isEqualTo(RpcErrorCode.TIMEOUT);
        assertThat(elapsedMillis).as("ended by the 1 s deadline").isGreaterThanOrEqualTo(1000);
        assertThat(impl.ticksCancelled.await(5, TimeUnit.SECONDS)).as("provider's publisher cancelled").isTrue();
    }

    @Test
    void closingTheConnectionEndsTheStreamOnBothSides() throws Exception {
        RpcStreams.StreamIterator<Long> it = RpcStreams.iterate(
                reactor.adapter.JdkFlowAdapter.publisherToFlowPublisher(quotes.ticks()));
        assertThat(it.hasNext()).isTrue();
        client.close();
        Throwable error = catchThrowable(() -> {
            while (it.hasNext()) {
                it.next();
            }
        });
        assertThat(error).isInstanceOf(RpcException.class);
        assertThat(((RpcException) error).code()).isEqualTo(RpcErrorCode.OUTCOME_UNKNOWN);
        assertThat(impl.ticksCancelled.await(5, TimeUnit.SECONDS)).as("provider's publisher cancelled").isTrue();
    }

    @Test
    void thousandConcurrentStreamsOnOneConnection() {
        Long total = Flux.range(0, 1000)
                .flatMap(i -> reactor.adapter.JdkFlowAdapter.flowPublisherToFlux(quotes.count(20)), 1000)
                .count().block(Duration.ofSeconds(30));
        assertThat(total).isEqualTo(20_000L);
    }

    @Test
    void unaryCallsKeepWorkingWhileAStreamSaturatesTheConnection() {
        var blobs = quotes.blobs(2000, 64 * 1024).count().toFuture();
        int answered = 0;
        for (int i = 0; i < 200; i++) {
            assertThat(quotes.greet("n" + i).block(Duration.ofSeconds(5))).isEqualTo("hello n" + i);
            answered++;
        }
        assertThat(answered).isEqualTo(200);
        assertThat(blobs.join()).isEqualTo(2000L);
    }

    @Test
    void aSingleCallToAStreamingMethodIsUnsupported() throws Exception {
        io.courier.rpc.internal.protocol.FrameWriter writer = new io.courier.rpc.internal.protocol.FrameWriter(1 << 20);
        io.courier.rpc.serialization.kryo.KryoSerializer kryo = new io.courier.rpc.serialization.kryo.KryoSerializer();
        io.netty.buffer.ByteBuf frame = writer.request(io.netty.buffer.ByteBufAllocator.DEFAULT, 7, false, kryo.id(),
                QuoteService.class.getName(), "count", "int", 5000, java.util.Map.of(),
                out -> kryo.writeArguments(new Object[] {3}, new java.lang.reflect.Type[] {int.class}, out));
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        frame.release();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(bytes);
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            byte[] header = new byte[24];
            in.readFully(header);
            java.nio.ByteBuffer fixed = java.nio.ByteBuffer.wrap(header);
            assertThat(fixed.get(3)).as("type").isEqualTo((byte) 2);
            assertThat(fixed.getShort(6)).as("status").isEqualTo((short) RpcErrorCode.UNSUPPORTED.code());
            assertThat(fixed.getLong(8)).as("request id").isEqualTo(7L);
        }
    }
}
