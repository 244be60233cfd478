package io.courier.rpc.benchmark.contender;

import java.util.concurrent.CompletableFuture;

/**
 * The consumer side of the streaming phase: opens a server stream of users and takes every one
 * of them as it arrives, the way a user of the contender's API would.
 *
 * <p>Thread-safe: any number of streams may be open at once, from any threads.
 */
public interface UserStreamClient {

    /**
     * Opens {@code streamUsers(firstId, count)} through the contender's asynchronous API and
     * consumes it. The future completes, possibly on an I/O or callback thread, with the number
     * of users received once the stream has ended, or fails with the stream's error.
     */
    CompletableFuture<Integer> consume(long firstId, int count);

    /**
     * Opens the same stream through the contender's blocking API, takes every user on the calling
     * thread and returns how many arrived.
     */
    int consumeBlocking(long firstId, int count);
}
