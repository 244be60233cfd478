package io.courier.rpc;


import java.util.Objects;

/**
 * The one unchecked exception Courier throws for framework failures, carrying a stable
 * {@link RpcErrorCode} the caller can switch on.
 *
 * <p>Instances are immutable once thrown. When a provider's business exception cannot be
 * re-created on the consumer, it arrives as an {@code RpcException} with code
 * {@link RpcErrorCode#APPLICATION_ERROR} and {@link #remoteClassName()} naming the original type.
 */
public class RpcException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RpcErrorCode code;
    private final String remoteClassName;

    /** Creates an exception with a code and a message. */
    public RpcException(RpcErrorCode code, String message) {
        this(code, message, null, null);
    }

    /** Creates an exception with a code, a message and a cause. */
    public RpcException(RpcErrorCode code, String message, Throwable cause) {
        this(code, message, cause, null);
    }

    /**
     * Creates an exception describing a failure on the remote side.
     *
     * @param remoteClassName fully qualified name of the exception type thrown remotely, or {@code null}
     */
    public RpcException(RpcErrorCode code, String message, Throwable cause, String remoteClassName) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.remoteClassName = remoteClassName;
    }

    private RpcException(RpcErrorCode code, String message, boolean writableStackTrace) {
        super(message, null, false, writableStackTrace);
        this.code = Objects.requireNonNull(code, "code");
        this.remoteClassName = null;
    }

    /**
     * Creates an exception for a call refused before it ran, without a stack trace or suppressed
     * exceptions.
     *
     * <p>Use it where refusals are routine under load, such as a rate limiter answering
     * {@link RpcErrorCode#RATE_LIMITED} or a concurrency limit answering
     * {@link RpcErrorCode#SERVER_BUSY}: only the code and message reach the caller, so capturing a
     * stack trace for every refused call would cost CPU exactly when the provider is overloaded
     * and show nobody anything. Do not use it for failures someone may need to debug.
     */
    public static RpcException refusal(RpcErrorCode code, String message) {
        return new RpcException(code, message, false);
    }

    /** Returns the status code of this failure. */
    public RpcErrorCode code() {
        return code;
    }

    /** Returns the class name of the exception thrown by the provider, or {@code null} when not remote. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** Whether retrying on another provider cannot run the business code twice; see {@link RpcErrorCode#isRetrySafe()}. */
    public boolean isRetrySafe() {
        return code.isRetrySafe();
    }

    @Override
    public String toString() {
        return getClass().getName() + " [" + code + "]: " + getMessage();
    }
}
