package io.courier.rpc.internal.proxy;

import io.courier.rpc.invoke.RpcResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * The publisher a proxy returns for a method whose result streams: each subscription makes the
 * call (through the interceptors and the cluster) and then receives the stream the transport
 * opened, or the error that kept it from opening.
 *
 * <p>Thread-safe (immutable).
 */
final class DeferredStream implements Flow.Publisher<Object> {

    private static final Flow.Subscription NOTHING = new Flow.Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    };

    private final Supplier<CompletableFuture<RpcResponse>> call;

    DeferredStream(Supplier<CompletableFuture<RpcResponse>> call) {
        this.call = call;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void subscribe(Flow.Subscriber<? super Object> subscriber) {
        CompletableFuture<RpcResponse> opened;
        try {
            opened = call.get();
        } catch (RuntimeException e) {
            fail(subscriber, e);
            return;
        }
        opened.whenComplete((response, error) -> {
            if (error != null) {
                fail(subscriber, error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            } else if (response.hasException()) {
                fail(subscriber, response.exception());
            } else if (response.value() instanceof Flow.Publisher<?> stream) {
                ((Flow.Publisher<Object>) stream).subscribe(subscriber);
            } else {
                // Fail-safe mode answers a failed call with a default value: an empty stream.
                subscriber.onSubscribe(NOTHING);
                subscriber.onComplete();
            }
        });
    }

    private static void fail(Flow.Subscriber<?> subscriber, Throwable error) {
        subscriber.onSubscribe(NOTHING);
        subscriber.onError(error);
    }
}
