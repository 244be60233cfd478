package io.courier.rpc.internal.transport;

/**
 * Remembers how large a method's responses are, so the next response buffer starts big enough
 * and the body is written once instead of being copied while the buffer grows.
 *
 * <p>Thread-safe: a racy but harmless volatile estimate, decaying slowly towards smaller sizes.
 */
final class ResponseSizeHint {

    private static final int MIN = 256;
    private static final int MAX = 1 << 20;

    private volatile int estimate = MIN;
    /** Whether a response has been recorded: until then the estimate is a guess. */
    private volatile boolean known;

    int get() {
        return estimate;
    }

    /** Whether the estimate comes from a recorded response rather than the initial guess. */
    boolean known() {
        return known;
    }

    void record(int size) {
        if (!known) {
            known = true;
        }
        int current = estimate;
        int next = size > current ? Math.min(MAX, size + (size >> 3)) : current - ((current - size) >> 4);
        if (next != current) {
            estimate = Math.max(MIN, next);
        }
    }
}
