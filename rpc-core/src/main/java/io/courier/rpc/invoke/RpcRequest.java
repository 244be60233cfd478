package io.courier.rpc.invoke;

import java.util.Map;
import java.util.Objects;

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

    /**
     * Creates a request.
     *
     * @param arguments the arguments, {@code null} for none
     * @param timeoutMillis the time budget left for the call, in milliseconds
     */
    public RpcRequest(MethodMetadata method, Object[] arguments, Map<String, String> attachments, long timeoutMillis) {
        this.method = Objects.requireNonNull(method, "method");
        this.arguments = arguments == null ? new Object[0] : arguments;
        this.attachments = attachments == null ? Map.of() : attachments;
        this.timeoutMillis = timeoutMillis;
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
        return new RpcRequest(method, arguments, java.util.Collections.unmodifiableMap(merged), timeoutMillis);
    }

    /** Returns a copy with a different time budget. */
    public RpcRequest withTimeoutMillis(long timeoutMillis) {
        return new RpcRequest(method, arguments, attachments, timeoutMillis);
    }

    @Override
    public String toString() {
        // Argument values are never printed: they may hold personal data.
        return "RpcRequest[" + method + ", timeout=" + timeoutMillis + "ms]";
    }
}
