package io.courier.rpc.internal.http;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;

import java.util.List;

/**
 * A JSON call that could not be bound to a method: bad or missing arguments, or an ambiguous
 * overload. Carries what the problem body reports besides the message, so that the mapping does
 * not parse message text.
 *
 * <p>Immutable once thrown. The code is {@link RpcErrorCode#BAD_REQUEST} (or
 * {@link RpcErrorCode#METHOD_NOT_FOUND} for an overload selector that names no overload).
 */
final class JsonCallException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** The offending parameter's name, or {@code null}. */
    private final String parameter;
    /** The exact paths of the candidate overloads, empty unless the overload was the problem. */
    private final transient List<String> candidates;

    JsonCallException(RpcErrorCode code, String message, String parameter, List<String> candidates, Throwable cause) {
        super(code, message, cause);
        this.parameter = parameter;
        this.candidates = List.copyOf(candidates);
    }

    static JsonCallException badArgument(String parameter, String message, Throwable cause) {
        return new JsonCallException(RpcErrorCode.BAD_REQUEST, message, parameter, List.of(), cause);
    }

    static JsonCallException badRequest(String message) {
        return new JsonCallException(RpcErrorCode.BAD_REQUEST, message, null, List.of(), null);
    }

    /** Returns the name of the parameter the problem is with, or {@code null}. */
    String parameter() {
        return parameter;
    }

    /** Returns the exact paths of the candidate overloads, empty when the overload was not the problem. */
    List<String> candidates() {
        return candidates == null ? List.of() : candidates;
    }
}
