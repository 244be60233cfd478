package io.courier.rpc.stream;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Test provider recording what its streams did. */
final class QuoteServiceImpl implements QuoteService {

    final AtomicLong emitted = new AtomicLong();
    final CountDownLatch ticksCancelled = new CountDownLatch(1);
    final CountDownLatch ticksStarted = new CountDownLatch(1);
    final CountDownLatch countCancelled = new CountDownLatch(1);

    @Override
    public Flow.Publisher<Integer> count(int count) {
        return JdkFlowAdapter.publisherToFlowPublisher(Flux.range(0, count)
                .doOnNext(i -> emitted.incrementAndGet()).doOnCancel(countCancelled::countDown));
    }

    @Override
    public Flux<Quote> quotes(String symbols) {
        return Flux.fromArray(symbols.split(",")).map(s -> new Quote(s, s.length() * 100L));
    }

    @Override
    public Mono<Long> sum(Flux<Integer> numbers) {
        return numbers.reduce(0L, (acc, n) -> acc + n);
    }

    @Override
    public long total(Flow.Publisher<Integer> numbers) {
        return JdkFlowAdapter.flowPublisherToFlux(numbers).reduce(0L, (acc, n) -> acc + n).block();
    }

    @Override
    public Flux<String> shout(Flux<String> messages) {
        return messages.map(String::toUpperCase);
    }

    @Override
    public Mono<String> greet(String name) {
        return Mono.just("hello " + name);
    }

    @Override
    public Flux<Integer> failAfter(int count) {
        return Flux.range(0, count).concatWith(Mono.error(new IllegalStateException("broke after " + count)));
    }

    @Override
    public Flux<Long> ticks() {
        // Ticks nobody asked for yet are dropped: the consumer sets the pace.
        return Flux.interval(Duration.ofMillis(1)).onBackpressureDrop()
                .doOnSubscribe(s -> ticksStarted.countDown())
                .doOnCancel(ticksCancelled::countDown);
    }

    @Override
    public Flux<byte[]> blobs(int count, int size) {
        return Flux.range(0, count).map(i -> new byte[size]);
    }

    @Override
    public Flux<Long> ticksWithDeadline() {
        return ticks();
    }
}
