package io.courier.rpc.benchmark.netty;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One call of the raw reference client awaiting its response: the future the caller holds and
 * the decoder of its result, in one object.
 *
 * <p>Thread-safe as a {@link CompletableFuture}; completed on the connection's event loop.
 *
 * @param <T> the result type
 */
final class RawCall<T> extends CompletableFuture<T> {

    private final Function<ByteBuf, T> decoder;

    RawCall(Function<ByteBuf, T> decoder) {
        this.decoder = decoder;
    }

    /** Decodes the result from a response body and completes; never throws. */
    void completeFrom(ByteBuf body) {
        try {
            complete(decoder.apply(body));
        } catch (RuntimeException e) {
            completeExceptionally(e);
        }
    }
}
