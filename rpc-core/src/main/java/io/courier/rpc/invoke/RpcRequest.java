package io.courier.rpc.invoke;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * One call as the consumer sends it: which method, the arguments, attachments and the time
 * budget left.
 *
 * <p>Immutable apart from the argument array, which must not be modified once the request is
 * created; thread-safe to share.
 */
public final class RpcRequest {

    private final MethodMetadata method;
    private final Object[] arguments;
    private final Map<String, String> attachments;
    private final long timeoutMillis;
    private final Executor completionExecutor;
    private final Cancellation cancellation;

    /**
     * Creates a request that completes on the thread producing its outcome and cannot be cancelled.
     *
     * @param arguments the arguments, {@code null} for none
     * @param timeoutMillis the time budget left for the call, in milliseconds
     */
    public RpcRequest(MethodMetadata method, Object[] arguments, Map<String, String> attachments, long timeoutMillis) {
        this(method, arguments, attachments, timeoutMillis, null, null);
    }

    /**
     * Creates a request.
     *
     * @param arguments the arguments, {@code null} for none
     * @param timeoutMillis the time budget left for the call, in milliseconds
     * @param completionExecutor where the transport decodes the response and completes the call's
     *        future; {@code null} to complete on the I/O thread (for a caller blocked waiting)
     * @param cancellation the caller's cancellation, {@code null} when the caller cannot cancel
     */
    public RpcRequest(MethodMetadata method, Object[] arguments, Map<String, String> attachments, long timeoutMillis,
            Executor completionExecutor, Cancellation cancellation) {
        this.method = Objects.requireNonNull(method, "method");
        this.arguments = arguments == null ? new Object[0] : arguments;
        this.attachments = attachments == null ? Map.of() : attachments;
        this.timeoutMillis = timeoutMillis;
        this.completionExecutor = completionExecutor;
        this.cancellation = cancellation;
    }

    /** Returns the called method. */
    public MethodMetadata method() {
        return method;
    }

    /** Returns the arguments. Do not modify. */
    public Object[] arguments() {
        return arguments;
    }

    /** Returns the attachments sent with the call. */
    public Map<String, String> attachments() {
        return attachments;
    }

    /** Returns the time budget of the call in milliseconds. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /**
     * Returns where the call's outcome is delivered: the transport decodes the response and
     * completes the future there. {@code null} completes on the thread that produces the outcome.
     */
    public Executor completionExecutor() {
        return completionExecutor;
    }

    /** Returns the caller's cancellation of this call, or {@code null} when it cannot be cancelled. */
    public Cancellation cancellation() {
        return cancellation;
    }

    /** Whether the caller has cancelled this call. */
    public boolean isCancelled() {
        return cancellation != null && cancellation.isCancelled();
    }

    /** Returns the wire form of the called service's key. */
    public String serviceKey() {
        return method.serviceKey();
    }

    /** Returns the called method's name. */
    public String methodName() {
        return method.name();
    }

    /** Returns a copy carrying {@code extra} attachments in addition to (and overriding) these. */
    public RpcRequest withAttachments(Map<String, String> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        java.util.HashMap<String, String> merged = new java.util.HashMap<>(attachments);
        merged.putAll(extra);
        return new RpcRequest(method, arguments, java.util.Collections.unmodifiableMap(merged), timeoutMillis,
                completionExecutor, cancellation);
    }

    /** Returns a copy with a different time budget. */
    public RpcRequest withTimeoutMillis(long timeoutMillis) {
        return new RpcRequest(method, arguments, attachments, timeoutMillis, completionExecutor, cancellation);
    }

    /**
     * Returns a copy with a different time budget and cancellation: one attempt of a call that
     * runs several at once (hedging), which the call cancels on its own.
     */
    public RpcRequest withAttempt(long timeoutMillis, Cancellation cancellation) {
        return new RpcRequest(method, arguments, attachments, timeoutMillis, completionExecutor, cancellation);
    }

    @Override
    public String toString() {
        // Argument values are never printed: they may hold personal data.
        return "RpcRequest[" + method + ", timeout=" + timeoutMillis + "ms]";
    }
}
