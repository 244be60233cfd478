package io.courier.rpc.spring.boot.autoconfigure;

/**
 * Courier cannot start as configured: a reference has no provider address or no provider
 * answered, a service bean's interface is ambiguous, the server cannot bind its port.
 *
 * <p>Immutable. Carries the action that fixes it, which {@link CourierRpcFailureAnalyzer} prints
 * when the application fails to start.
 */
public class CourierRpcStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String action;

    /** Creates an exception with what went wrong and what to do about it. */
    public CourierRpcStartupException(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    /** Returns what the user should do to fix the problem. */
    public String action() {
        return action;
    }
}
