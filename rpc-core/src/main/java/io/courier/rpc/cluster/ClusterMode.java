package io.courier.rpc.cluster;

/**
 * What a consumer does when a call fails.
 *
 * <p>Thread-safe (immutable).
 */
public enum ClusterMode {

    /**
     * Retry on another provider when the failure proves the call never ran (connect refused,
     * not sent, server busy, rate limited, shutting down), or when the method is idempotent and
     * the connection was lost; never after the deadline, and only while the retry budget lasts.
     * A non-idempotent call that timed out after being sent is reported as it is: its outcome is
     * unknown. An idempotent method with a per-attempt timeout
     * ({@link io.courier.rpc.RpcMethod#attemptTimeoutMillis()}) gives each attempt at most that
     * long before cancelling it and trying another provider. The default.
     */
    FAILOVER,

    /** Report the first failure at once; for non-idempotent writes. */
    FAILFAST,

    /** Log the failure and return a default value ({@code null}, {@code 0}, {@code false}); for calls whose result is optional. */
    FAILSAFE
}
