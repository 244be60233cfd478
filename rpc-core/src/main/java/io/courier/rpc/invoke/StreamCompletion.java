package io.courier.rpc.invoke;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets an interceptor see when a call is over: for a single call when its future completes, for
 * a call whose result streams when the stream ends (completes, fails or is cancelled), with the
 * number of messages it carried. Observations, access logs and limits use it so that a stream
 * counts as one call lasting as long as the stream.
 *
 * <p>Thread-safe (stateless).
 */
public final class StreamCompletion {

    /** What a watcher hears when the call is over. */
    @FunctionalInterface
    public interface Listener {

        /**
         * The call is over.
         *
         * @param response the response ({@code null} when the call failed before answering)
         * @param error the failure, the stream's error, or {@code null}; a cancelled stream reports a
         *        {@link java.util.concurrent.CancellationException}
         * @param messages how many stream messages passed; 0 for a single call
         */
        void ended(RpcResponse response, Throwable error, long messages);
    }

    private StreamCompletion() {
    }

    /**
     * Calls {@code listener} once when the call is over. For a streamed result, the returned
     * future carries a publisher that passes everything through and reports its end; otherwise it
     * is {@code outcome} itself.
     */
    public static CompletableFuture<RpcResponse> watch(RpcRequest request, CompletableFuture<RpcResponse> outcome,
            Listener listener) {
        if (!request.method().isResponseStreaming()) {
            outcome.whenComplete((response, error) -> listener.ended(response, unwrap(error), 0));
            return outcome;
        }
        return outcome.handle((response, error) -> {
            if (error != null || response.hasException() || response.value() == null) {
                listener.ended(response, unwrap(error), 0);
                if (error != null) {
                    throw error instanceof CompletionException c ? c : new CompletionException(error);
                }
                return response;
            }
            Flow.Publisher<Object> source = request.method().responseStreamType().toFlow(response.value());
            return RpcResponse.ofValue(new Watched(source, response, listener), response.attachments());
        });
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Passes a stream through, counting its messages and reporting its end once. */
    private static final class Watched implements Flow.Publisher<Object> {

        private final Flow.Publisher<Object> source;
        private final RpcResponse response;
        private final Listener listener;
        private final AtomicLong messages = new AtomicLong();
        private final AtomicBoolean ended = new AtomicBoolean();

        Watched(Flow.Publisher<Object> source, RpcResponse response, Listener listener) {
            this.source = source;
            this.response = response;
            this.listener = listener;
        }

        private void end(Throwable error) {
            if (ended.compareAndSet(false, true)) {
                listener.ended(response, error, messages.get());
            }
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Object> subscriber) {
            source.subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(new Flow.Subscription() {
                        @Override
                        public void request(long n) {
                            subscription.request(n);
                        }

                        @Override
                        public void cancel() {
                            subscription.cancel();
                            end(new java.util.concurrent.CancellationException("The stream was cancelled"));
                        }
                    });
                }

                @Override
                public void onNext(Object item) {
                    messages.incrementAndGet();
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    end(throwable);
                    subscriber.onError(throwable);
                }

                @Override
                public void onComplete() {
                    end(null);
                    subscriber.onComplete();
                }
            });
        }
    }
}
