package io.courier.rpc.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider streams 1,000,000 messages to a consumer that asks for 10 at a time and takes its
 * time: the messages the provider produced and the consumer has not processed never exceed the
 * stream's credit window, whatever the pace, so neither side buffers without bound.
 *
 * <p>The default build reads the first {@value #DEFAULT_STEPS} batches and then cancels (under
 * PARANOID leak detection every buffer access records a stack trace, which makes a message cost
 * about 100 µs); {@code -Dcourier.test.stream.batches=100000} reads the whole million.
 */
@Timeout(600)
class StreamBackpressureTest {

    private static final Logger log = LoggerFactory.getLogger(StreamBackpressureTest.class);
    private static final int DEFAULT_STEPS = 1500;
    private static final int BATCH = 10;
    private static final int STREAM = 1_000_000;
    /** The credit window of a stream: what the provider may have produced beyond what was processed. */
    private static final int WINDOW = 256;

    @Test
    void slowConsumerBoundsWhatTheProviderProduces() throws Exception {
        int steps = Integer.getInteger("courier.test.stream.batches", DEFAULT_STEPS);
        QuoteServiceImpl impl = new QuoteServiceImpl();
        try (RpcServer server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(QuoteService.class, impl).build().start();
             RpcClient client = RpcClient.builder().build()) {
            QuoteService quotes = client.reference(ReferenceConfig.builder(QuoteService.class)
                    .address("127.0.0.1:" + server.address().getPort()).timeout(Duration.ofSeconds(5)).build());
            SlowSubscriber subscriber = new SlowSubscriber();
            quotes.count(STREAM).subscribe(subscriber);
            assertThat(subscriber.subscribed.await(10, TimeUnit.SECONDS)).as("subscribed").isTrue();
            long directBaseline = directMemory();
            long maxAhead = 0;
            long maxDirect = 0;
            for (int step = 0; step < steps; step++) {
                subscriber.subscription.request(BATCH);
                assertThat(subscriber.arrived.tryAcquire(BATCH, 10, TimeUnit.SECONDS))
                        .as("batch %d arrived", step).isTrue();
                long processed = subscriber.received.get();
                long ahead = impl.emitted.get() - processed;
                maxAhead = Math.max(maxAhead, ahead);
                maxDirect = Math.max(maxDirect, directMemory());
                assertThat(ahead).as("produced but not processed after %d messages", processed)
                        .isLessThanOrEqualTo(WINDOW);
            }
            long processed = subscriber.received.get();
            if (processed < STREAM) {
                subscriber.subscription.cancel();
                assertThat(impl.countCancelled.await(5, TimeUnit.SECONDS)).as("provider's publisher cancelled").isTrue();
            } else {
                assertThat(subscriber.completed.tryAcquire(10, TimeUnit.SECONDS)).as("stream completed").isTrue();
            }
            assertThat(subscriber.outOfOrder.get()).isZero();
            log.info("Backpressure: {} of {} messages processed {} at a time; at most {} produced ahead of the "
                    + "consumer (window {}); pooled direct memory {} KiB before, at most {} KiB during",
                    processed, STREAM, BATCH, maxAhead, WINDOW, directBaseline / 1024, maxDirect / 1024);
            assertThat(maxAhead).as("the window was used").isPositive();
        }
    }

    /** Direct memory held by the allocator both ends use (Netty's default). */
    private static long directMemory() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider metrics
                ? metrics.metric().usedDirectMemory() : -1;
    }

    /** Asks for nothing by itself: the test asks for each batch once the previous one was processed. */
    private static final class SlowSubscriber implements Flow.Subscriber<Integer> {

        final java.util.concurrent.CountDownLatch subscribed = new java.util.concurrent.CountDownLatch(1);
        final Semaphore arrived = new Semaphore(0);
        final Semaphore completed = new Semaphore(0);
        final AtomicLong received = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            subscribed.countDown();
        }

        @Override
        public void onNext(Integer item) {
            if (item != received.getAndIncrement()) {
                outOfOrder.incrementAndGet();
            }
            arrived.release();
        }

        @Override
        public void onError(Throwable t) {
            log.error("Stream failed", t);
        }

        @Override
        public void onComplete() {
            completed.release();
        }
    }
}
