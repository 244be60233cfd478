package io.courier.rpc.test;

import io.courier.rpc.RpcMethod;

/**
 * Service exported by {@link CountingProviderMain} in a provider JVM of its own: each call answers
 * with the provider's name, and the provider counts how often each method ran.
 */
public interface CountedService {

    /** Idempotent: retried elsewhere, and cut short after 300 ms per attempt. */
    @RpcMethod(idempotent = true, attemptTimeoutMillis = 300)
    String find(String key);

    /** Not idempotent: once sent, never retried. */
    String write(String key);

    /**
     * How many elements {@code value} holds: an array's or a collection's length, else 1; for
     * large arguments (reliability row 2).
     */
    @RpcMethod(idempotent = true)
    long size(Object value);

    /**
     * Returns a 1 MiB value (the same array each time, so that answers waiting to be written cost
     * the provider no heap beyond references); for backpressure (reliability row 7).
     */
    @RpcMethod(idempotent = true)
    byte[] blob(int id);

    /** How many times {@code method} ({@code find} or {@code write}) ran on this provider. */
    @RpcMethod(idempotent = true)
    long executions(String method);
}
