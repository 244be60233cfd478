package io.courier.rpc.benchmark.load;

import java.util.Locale;

/** How the N callers of a closed loop are driven. Thread-safe (an enum). */
public enum LoadMode {

    /**
     * N logical callers, each issuing its next call from the completion of the previous one,
     * through the contender's future-returning API: N calls in flight without N threads.
     */
    ASYNC,

    /** N threads, each calling the contender's blocking API in a loop (how dubbo-benchmark drives its clients). */
    SYNC;

    /** Parses {@code async} or {@code sync}. */
    public static LoadMode of(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode: '" + name + "' (expected async or sync)", e);
        }
    }

    /** Returns the lower-case name used in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
