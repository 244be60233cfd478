package io.courier.rpc.invoke;

import io.courier.rpc.RpcException;
import io.courier.rpc.RpcErrorCode;

import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The outcome of a call that reached the provider's business code: a value or the exception it
 * threw, plus the provider's response attachments. Framework failures (timeouts, lost
 * connections, …) are not responses: they complete the call's future exceptionally with an
 * {@link io.courier.rpc.RpcException}.
 *
 * <p>Immutable and thread-safe.
 */
public final class RpcResponse {

    private static final RpcResponse EMPTY = new RpcResponse(null, null, Map.of());

    private final Object value;
    private final Throwable exception;
    private final Map<String, String> attachments;

    private RpcResponse(Object value, Throwable exception, Map<String, String> attachments) {
        this.value = value;
        this.exception = exception;
        this.attachments = attachments == null ? Map.of() : attachments;
    }

    /** Returns a response carrying a value. */
    public static RpcResponse ofValue(Object value, Map<String, String> attachments) {
        return value == null && (attachments == null || attachments.isEmpty())
                ? EMPTY : new RpcResponse(value, null, attachments);
    }

    /** Returns a response carrying an exception thrown by business code. */
    public static RpcResponse ofException(Throwable exception, Map<String, String> attachments) {
        return new RpcResponse(null, exception, attachments);
    }

    /** Returns the empty response of a one-way or void call. */
    public static RpcResponse empty() {
        return EMPTY;
    }

    /**
     * Returns the status of a call's outcome: {@code OK}, {@code APPLICATION_ERROR} when business
     * code (or an interceptor) threw, else the code of the framework failure.
     *
     * @param response the response, when the call completed normally
     * @param error the failure, when it completed exceptionally
     */
    public static RpcErrorCode statusOf(RpcResponse response, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof java.util.concurrent.CancellationException) {
                // A stream its subscriber cancelled.
                return RpcErrorCode.CANCELLED;
            }
            return cause instanceof RpcException e ? e.code() : RpcErrorCode.APPLICATION_ERROR;
        }
        return response.hasException() ? RpcErrorCode.APPLICATION_ERROR : RpcErrorCode.OK;
    }

    /** Returns a copy carrying {@code extra} attachments in addition to (and overriding) these. */
    public RpcResponse withAttachments(Map<String, String> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        java.util.HashMap<String, String> merged = new java.util.HashMap<>(attachments);
        merged.putAll(extra);
        return new RpcResponse(value, exception, java.util.Collections.unmodifiableMap(merged));
    }

    /** Returns the value, {@code null} when there is none or when the call threw. */
    public Object value() {
        return value;
    }

    /** Returns the exception thrown by business code, or {@code null}. */
    public Throwable exception() {
        return exception;
    }

    /** Whether business code threw. */
    public boolean hasException() {
        return exception != null;
    }

    /** Returns the provider's response attachments. */
    public Map<String, String> attachments() {
        return attachments;
    }

    @Override
    public String toString() {
        return hasException() ? "RpcResponse[exception=" + exception.getClass().getName() + "]" : "RpcResponse[value]";
    }
}
