package io.courier.rpc.serialization.tripwire;

/**
 * A class outside every allowlist that records in {@link TripwireLog} when it is initialized or
 * constructed; tests must never touch it directly, only name it in hostile bodies.
 */
public class Tripwire {

    static {
        TripwireLog.INITIALIZED.incrementAndGet();
    }

    private String payload;

    public Tripwire() {
        TripwireLog.CONSTRUCTED.incrementAndGet();
    }

    public String getPayload() {
        return payload;
    }

    public void setPayload(String payload) {
        this.payload = payload;
    }
}
