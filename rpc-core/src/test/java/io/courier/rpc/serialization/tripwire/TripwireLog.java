package io.courier.rpc.serialization.tripwire;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts what {@link Tripwire} and {@link TripwireException} record; a separate class so that
 * reading the counts never initializes the tripwires themselves.
 */
public final class TripwireLog {

    /** Static initializers of {@link Tripwire} that ran; test-only state. */
    public static final AtomicInteger INITIALIZED = new AtomicInteger();
    /** Constructors of {@link Tripwire} that ran; test-only state. */
    public static final AtomicInteger CONSTRUCTED = new AtomicInteger();
    /** Static initializers of {@link TripwireException} that ran; test-only state. */
    public static final AtomicInteger EXCEPTION_INITIALIZED = new AtomicInteger();
    /** Constructors of {@link TripwireException} that ran; test-only state. */
    public static final AtomicInteger EXCEPTION_CONSTRUCTED = new AtomicInteger();

    private TripwireLog() {
    }

    /** Returns whether {@link Tripwire} was initialized or constructed. */
    public static boolean valueTripped() {
        return INITIALIZED.get() > 0 || CONSTRUCTED.get() > 0;
    }

    /** Returns whether {@link TripwireException} was initialized or constructed. */
    public static boolean exceptionTripped() {
        return EXCEPTION_INITIALIZED.get() > 0 || EXCEPTION_CONSTRUCTED.get() > 0;
    }
}
