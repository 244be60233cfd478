package io.courier.rpc.interceptor;

import io.courier.rpc.InvalidOptionException;

/**
 * A token-bucket limit: calls may arrive at {@code permitsPerSecond} on average, with bursts of
 * up to {@code burst} calls.
 *
 * <p>Thread-safe (immutable).
 *
 * @param permitsPerSecond sustained rate, greater than 0
 * @param burst bucket capacity, at least 1
 */
public record RateLimit(double permitsPerSecond, int burst) {

    /** Validates the values. */
    public RateLimit {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new InvalidOptionException("permitsPerSecond", permitsPerSecond, "> 0");
        }
        if (burst < 1) {
            throw new InvalidOptionException("burst", burst, ">= 1");
        }
    }

    /** Returns a limit of {@code permitsPerSecond} with a burst of the same size (at least 1). */
    public static RateLimit of(double permitsPerSecond) {
        return new RateLimit(permitsPerSecond, (int) Math.max(1, Math.ceil(permitsPerSecond)));
    }
}
