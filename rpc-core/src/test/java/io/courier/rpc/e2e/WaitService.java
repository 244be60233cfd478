package io.courier.rpc.e2e;

import java.util.concurrent.CompletableFuture;

/** A service whose calls run until their caller gives up or their deadline passes. */
public interface WaitService {

    /** Blocks until the call is cancelled (or 20 s pass), then answers. */
    String block(int n);

    /** The same, for callers that take a future. */
    CompletableFuture<String> blockAsync(int n);

    /** Blocks until cancelled, then calls {@code downstream} and reports how that call ended. */
    String blockThenCallDownstream();
}
