package io.courier.rpc.stream;

import io.courier.rpc.RpcMethod;
import java.util.concurrent.Flow;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Every kind of stream, in JDK and Reactor types. */
public interface QuoteService {

    /** Server streaming with the JDK's type: 0 .. count-1. */
    Flow.Publisher<Integer> count(int count);

    /** Server streaming with Reactor: one quote per symbol. */
    Flux<Quote> quotes(String symbols);

    /** Client streaming: the sum of the numbers. */
    Mono<Long> sum(Flux<Integer> numbers);

    /** Client streaming with the JDK's type and a blocking answer. */
    long total(Flow.Publisher<Integer> numbers);

    /** Bidirectional: each message answered with it upper-cased. */
    Flux<String> shout(Flux<String> messages);

    /** Unary, as a Mono. */
    Mono<String> greet(String name);

    /** {@code count} elements, then an {@link IllegalStateException}. */
    Flux<Integer> failAfter(int count);

    /** Never ends; counts how far it got and whether it was cancelled. */
    Flux<Long> ticks();

    /** Never ends, with a deadline on the whole stream. */
    @RpcMethod(timeoutMillis = 1000)
    Flux<Long> ticksWithDeadline();

    /** {@code count} arrays of {@code size} bytes. */
    Flux<byte[]> blobs(int count, int size);

    /** A record streamed over the wire. */
    record Quote(String symbol, long priceCents) {
    }
}
