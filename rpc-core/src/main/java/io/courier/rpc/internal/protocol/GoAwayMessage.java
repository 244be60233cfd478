package io.courier.rpc.internal.protocol;

/**
 * A decoded going-away frame: the provider is shutting down and takes no new calls on this
 * connection; calls already sent are still answered.
 *
 * <p>Thread-safe (a stateless singleton).
 */
public final class GoAwayMessage {

    /** The only instance: the frame carries nothing. */
    public static final GoAwayMessage INSTANCE = new GoAwayMessage();

    private GoAwayMessage() {
    }

    @Override
    public String toString() {
        return "GoAwayMessage";
    }
}
