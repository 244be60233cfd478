package io.courier.rpc.benchmark.http;

import java.util.concurrent.CompletableFuture;

/**
 * An HTTP/1.1 client that POSTs JSON bodies to one server over a pool of keep-alive connections,
 * one call in flight per connection (no pipelining), opening a connection when none is idle.
 *
 * <p>Thread-safe. Futures may complete on an I/O thread, so callbacks must not block.
 */
public interface HttpJsonClient extends AutoCloseable {

    /** Sends {@code POST path} with {@code body} as {@code application/json}; never fails synchronously. */
    CompletableFuture<HttpResponse> post(String path, byte[] body);

    /** Closes every connection and the client's threads. */
    @Override
    void close();
}
