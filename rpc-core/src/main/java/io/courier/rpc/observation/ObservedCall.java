package io.courier.rpc.observation;

import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.invoke.StreamCompletion;
import io.micrometer.observation.Observation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** Runs one call inside an observation: in scope while it starts, stopped when it completes. */
final class ObservedCall {

    /** The key of the number of messages a streamed result carried. */
    static final String MESSAGES_KEY = "rpc.stream.messages";

    private ObservedCall() {
    }

    /**
     * Starts {@code observation}, runs {@code call} with it in scope, and stops it when the
     * returned future completes, after {@code onEnd} has recorded the response and status.
     */
    static CompletableFuture<RpcResponse> run(RpcRequest request, Observation observation,
            BiConsumer<RpcResponse, String> onEnd, Supplier<CompletableFuture<RpcResponse>> call) {
        observation.start();
        CompletableFuture<RpcResponse> outcome;
        try (Observation.Scope ignored = observation.openScope()) {
            outcome = call.get();
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        // A stream is observed until it ends, with the number of messages it carried.
        return StreamCompletion.watch(request, outcome, (response, error, messages) -> {
            onEnd.accept(response, RpcResponse.statusOf(response, error).name());
            if (request.method().isStreaming()) {
                observation.highCardinalityKeyValue(MESSAGES_KEY, Long.toString(messages));
            }
            if (error != null) {
                observation.error(error);
            } else if (response.hasException()) {
                observation.error(response.exception());
            }
            observation.stop();
        });
    }
}
