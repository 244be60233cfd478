package io.courier.rpc;


import java.util.List;
import java.util.Objects;

/**
 * The one unchecked exception Courier throws for framework failures, carrying a stable
 * {@link RpcErrorCode} the caller can switch on.
 *
 * <p>Instances are immutable once thrown. When a provider's business exception cannot be
 * re-created on the consumer, it arrives as an {@code RpcException} with code
 * {@link RpcErrorCode#APPLICATION_ERROR} and {@link #remoteClassName()} naming the original type.
 *
 * <p>{@link #outcomeUnknown()} tells whether the provider may have run the call although no answer
 * came back; {@link #attempts()} lists what each attempt of a retried call did, and
 * {@link #getMessage()} shows them on one line each when there was more than one.
 */
public class RpcException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RpcErrorCode code;
    private final String remoteClassName;
    private final boolean outcomeUnknown;
    private final List<Attempt> attempts;

    /**
     * Where an attempt had got to when it failed, as far as the consumer can tell. Thread-safe
     * (immutable).
     */
    public enum Phase {
        /** Choosing a provider: none was known or routable. */
        ROUTE,
        /** Opening the connection (TCP, TLS) to the provider. */
        CONNECT,
        /** Writing the request; it provably did not leave. */
        WRITE,
        /** The provider received the call and refused it before its business code ran (busy, rate limited, unknown method, ...). */
        QUEUE,
        /** The provider ran the call and answered with a failure. */
        RUN,
        /** The request was written and the answer never came (connection lost, deadline passed, cancelled). */
        READ,
        /** A body could not be encoded or decoded, or a frame was malformed. */
        DECODE
    }

    /**
     * One attempt of a call: which provider it went to, how far it got, how long it took and how
     * it failed. Thread-safe (immutable).
     *
     * @param endpoint provider address as {@code host:port}, or {@code "-"} when none was chosen
     * @param phase where the attempt failed
     * @param elapsedMillis time from the attempt's start to its failure
     * @param code the attempt's own failure code
     * @param message the attempt's own failure message
     */
    public record Attempt(String endpoint, Phase phase, long elapsedMillis, RpcErrorCode code, String message) {

        /** Checks that nothing but the message is null. */
        public Attempt {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(code, "code");
        }

        @Override
        public String toString() {
            return endpoint + " " + phase + " " + elapsedMillis + " ms " + code + ": " + message;
        }
    }

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
        this(code, message, cause, remoteClassName, false, List.of());
    }

    /**
     * Creates an exception for a call that went through one or more attempts.
     *
     * @param outcomeUnknown whether the provider may have run the call although no answer came
     *     back; see {@link #outcomeUnknown()}
     * @param attempts every attempt in the order made, copied
     */
    public RpcException(RpcErrorCode code, String message, Throwable cause, String remoteClassName,
            boolean outcomeUnknown, List<Attempt> attempts) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.remoteClassName = remoteClassName;
        this.outcomeUnknown = outcomeUnknown;
        this.attempts = List.copyOf(attempts);
    }

    private RpcException(RpcErrorCode code, String message, boolean writableStackTrace) {
        super(message, null, false, writableStackTrace);
        this.code = Objects.requireNonNull(code, "code");
        this.remoteClassName = null;
        this.outcomeUnknown = false;
        this.attempts = List.of();
    }

    /**
     * Creates an exception for a call whose request was written (or queued for writing) but
     * whose answer never came: {@link #outcomeUnknown()} is {@code true}.
     *
     * <p>Use it with {@link RpcErrorCode#OUTCOME_UNKNOWN} (connection lost after the write),
     * {@link RpcErrorCode#TIMEOUT} (deadline passed while waiting) or
     * {@link RpcErrorCode#CANCELLED} (the caller gave up while waiting).
     */
    public static RpcException unanswered(RpcErrorCode code, String message, Throwable cause) {
        return new RpcException(code, message, cause, null, true, List.of());
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

    /**
     * Whether the provider may have run the call although no answer came back: {@code true}
     * exactly when a request of this call was written (or queued for writing) and its answer never
     * arrived, whatever the code ({@link RpcErrorCode#OUTCOME_UNKNOWN}, a {@link RpcErrorCode#TIMEOUT}
     * while waiting, a {@link RpcErrorCode#CANCELLED} while waiting). {@code false} when the call
     * provably never left (not connected, not written, refused before it ran) or the provider answered.
     * For a retried call it is {@code true} when any attempt's outcome is unknown.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    /**
     * Returns the attempts of a call that went through a cluster invoker and was tried more than
     * once, in the order made, the last one being this exception's own code and message; empty
     * for a single attempt, which this exception describes by itself, and for a subclass such as
     * {@link io.courier.rpc.tls.TlsHandshakeException}, which reaches the caller as thrown. Immutable.
     */
    public List<Attempt> attempts() {
        return attempts;
    }

    /** Returns the message, followed by one line per attempt when there was more than one. */
    @Override
    public String getMessage() {
        String message = super.getMessage();
        if (attempts.size() <= 1) {
            return message;
        }
        StringBuilder sb = new StringBuilder(message == null ? "" : message).append(" (")
                .append(attempts.size()).append(" attempts)");
        for (int i = 0; i < attempts.size(); i++) {
            sb.append(System.lineSeparator()).append("  attempt ").append(i + 1).append(": ").append(attempts.get(i));
        }
        return sb.toString();
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
