package io.courier.rpc.serialization.tripwire;

/** An exception outside every allowlist that records in {@link TripwireLog} when it is initialized or constructed. */
public class TripwireException extends RuntimeException {

    static {
        TripwireLog.EXCEPTION_INITIALIZED.incrementAndGet();
    }

    public TripwireException(String message) {
        super(message);
        TripwireLog.EXCEPTION_CONSTRUCTED.incrementAndGet();
    }
}
