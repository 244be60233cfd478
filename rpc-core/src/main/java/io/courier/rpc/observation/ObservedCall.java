package io.courier.rpc.observation;

import io.courier.rpc.invoke.RpcResponse;
import io.micrometer.observation.Observation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** Runs one call inside an observation: in scope while it starts, stopped when it completes. */
final class ObservedCall {

    private ObservedCall() {
    }

    /**
     * Starts {@code observation}, runs {@code call} with it in scope, and stops it when the
     * returned future completes, after {@code onEnd} has recorded the response and status.
     */
    static CompletableFuture<RpcResponse> run(Observation observation, BiConsumer<RpcResponse, String> onEnd,
            Supplier<CompletableFuture<RpcResponse>> call) {
        observation.start();
        CompletableFuture<RpcResponse> outcome;
        try (Observation.Scope ignored = observation.openScope()) {
            outcome = call.get();
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((response, error) -> {
            onEnd.accept(response, RpcResponse.statusOf(response, error).name());
            if (error != null) {
                observation.error(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            } else if (response.hasException()) {
                observation.error(response.exception());
            }
            observation.stop();
        });
        return outcome;
    }
}
