package io.courier.rpc.invoke;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The only class that touches Project Reactor; loaded only when a method declares a Reactor type,
 * which implies Reactor is on the class path.
 *
 * <p>Thread-safe (stateless).
 */
final class ReactorAdapter {

    private ReactorAdapter() {
    }

    @SuppressWarnings("unchecked")
    static <T> Flow.Publisher<T> toFlow(Object value) {
        return JdkFlowAdapter.publisherToFlowPublisher((org.reactivestreams.Publisher<T>) value);
    }

    static Flux<?> toFlux(Flow.Publisher<?> publisher) {
        return JdkFlowAdapter.flowPublisherToFlux(publisher);
    }

    static Mono<?> toMono(Flow.Publisher<?> publisher) {
        return Mono.from(JdkFlowAdapter.flowPublisherToFlux(publisher));
    }

    @SuppressWarnings("unchecked")
    static CompletableFuture<Object> monoToFuture(Object mono) {
        return ((Mono<Object>) mono).toFuture();
    }

    static Mono<?> deferMono(Supplier<CompletableFuture<?>> call) {
        return Mono.defer(() -> Mono.fromFuture(call.get(), false));
    }

    static Mono<?> futureToMono(CompletableFuture<?> future) {
        return Mono.fromFuture(future, false);
    }
}
