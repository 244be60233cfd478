package io.courier.rpc.internal.http;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Maps a failed call to an HTTP status and an RFC 9457 problem body.
 *
 * <p>Immutable and thread-safe. The status of each {@link RpcErrorCode}:
 * <pre>
 * code                                     status
 * OK                                       200
 * BAD_REQUEST, SERIALIZATION               400  (bad arguments, an ambiguous overload)
 * INVALID_ARGUMENT                         400
 * UNAUTHENTICATED                          401  (the authenticator adds WWW-Authenticate)
 * PERMISSION_DENIED                        403
 * SERVICE_NOT_FOUND, METHOD_NOT_FOUND      404
 * NOT_FOUND                                404
 * RATE_LIMITED                             429  with Retry-After
 * CANCELLED                                499  (the caller went away; nobody reads it)
 * APPLICATION_ERROR, INTERNAL, UNKNOWN     500
 * CONNECTION_LOST, CONNECT_FAILED, NOT_SENT,
 * OUTCOME_UNKNOWN                          502 (a call this provider made downstream failed)
 * UNSUPPORTED                              501  (e.g. a streaming method called as a single call)
 * SERVER_BUSY, SHUTTING_DOWN, NO_PROVIDER  503
 * RESOURCE_EXHAUSTED                       503  (not 413: the shared budget frees up, a retry may pass)
 * TIMEOUT, DEADLINE_EXCEEDED               504
 * any code added later and not listed here 500
 * </pre>
 * The body is {@code {"type", "title", "status", "detail", "code"}} plus, where they apply,
 * {@code exception} (the business exception's class name for {@code APPLICATION_ERROR}),
 * {@code parameter} and {@code candidates} (from a {@link JsonCallException}). Stack traces
 * and causes are never written. A throwable that is not an {@code RpcException} is a business
 * exception: {@code APPLICATION_ERROR}, its class name and message.
 */
final class HttpStatusMapping {

    /** The media type of a problem body. */
    static final String PROBLEM_CONTENT_TYPE = "application/problem+json";

    /**
     * By code name, so that a code added on another branch (PERMISSION_DENIED, number 19) maps
     * as soon as it exists, and this class still compiles without it.
     */
    private static final Map<String, Integer> STATUS_BY_NAME = Map.ofEntries(
            Map.entry("OK", 200),
            Map.entry("BAD_REQUEST", 400),
            Map.entry("SERIALIZATION", 400),
            Map.entry("UNAUTHENTICATED", 401),
            Map.entry("PERMISSION_DENIED", 403),
            Map.entry("INVALID_ARGUMENT", 400),
            Map.entry("NOT_FOUND", 404),
            Map.entry("SERVICE_NOT_FOUND", 404),
            Map.entry("METHOD_NOT_FOUND", 404),
            Map.entry("RATE_LIMITED", 429),
            Map.entry("CANCELLED", 499),
            Map.entry("APPLICATION_ERROR", 500),
            Map.entry("INTERNAL", 500),
            Map.entry("UNKNOWN", 500),
            Map.entry("CONNECTION_LOST", 502),
            Map.entry("CONNECT_FAILED", 502),
            Map.entry("NOT_SENT", 502),
            Map.entry("OUTCOME_UNKNOWN", 502),
            Map.entry("SERVER_BUSY", 503),
            Map.entry("SHUTTING_DOWN", 503),
            Map.entry("NO_PROVIDER", 503),
            Map.entry("UNSUPPORTED", 501),
            Map.entry("RESOURCE_EXHAUSTED", 503),
            Map.entry("TIMEOUT", 504),
            Map.entry("DEADLINE_EXCEEDED", 504));

    private static final Map<Integer, String> TITLES = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(429, "Too Many Requests"), Map.entry(499, "Client Closed Request"),
            Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    private final JsonMapper mapper;
    private final String retryAfter;

    /**
     * Creates a mapping.
     *
     * @param mapper writes the bodies
     * @param retryAfter the {@code Retry-After} of a {@code RATE_LIMITED} answer, rounded up to
     *     whole seconds (a rate limiter's refill period is a fair value)
     */
    HttpStatusMapping(JsonMapper mapper, Duration retryAfter) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        if (retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("retryAfter: " + retryAfter + " (expected: > 0)");
        }
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        this.retryAfter = Long.toString(seconds);
    }

    /** Returns the HTTP status of a code; 500 for a code this class does not list. */
    static int status(RpcErrorCode code) {
        return STATUS_BY_NAME.getOrDefault(code.name(), 500);
    }

    /** Whether a code has its own line in the table (a test checks that every code does). */
    static boolean isMapped(RpcErrorCode code) {
        return STATUS_BY_NAME.containsKey(code.name());
    }

    /**
     * Returns the answer for a failed call.
     *
     * @param failure an {@code RpcException} (its code decides), or a business exception
     */
    /** Returns the JSON problem body for a failure, for a stream that already answered 200. */
    byte[] problemBody(Throwable failure) {
        return problem(failure).body();
    }

    Problem problem(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        RpcErrorCode code;
        String exception = null;
        String detail;
        if (failure instanceof RpcException rpc) {
            code = rpc.code();
            detail = rpc.getMessage();
            if (code == RpcErrorCode.APPLICATION_ERROR) {
                exception = rpc.remoteClassName();
            }
        } else {
            code = RpcErrorCode.APPLICATION_ERROR;
            exception = failure.getClass().getName();
            detail = failure.getMessage();
        }
        int status = status(code);
        ObjectNode body = mapper.createObjectNode();
        body.put("type", "urn:courier-rpc:error:" + code.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        body.put("title", TITLES.getOrDefault(status, code.name()));
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        } else if (exception != null) {
            body.put("detail", exception);
        }
        body.put("code", code.name());
        if (exception != null) {
            body.put("exception", exception);
        }
        if (failure instanceof JsonCallException call) {
            if (call.parameter() != null) {
                body.put("parameter", call.parameter());
            }
            if (!call.candidates().isEmpty()) {
                call.candidates().forEach(body.putArray("candidates")::add);
            }
        }
        return new Problem(status, mapper.writeValueAsBytes(body), code == RpcErrorCode.RATE_LIMITED ? retryAfter : null);
    }

    /**
     * An HTTP error answer.
     *
     * @param status the HTTP status
     * @param body the problem JSON, UTF-8, to send as {@link #PROBLEM_CONTENT_TYPE}
     * @param retryAfter the {@code Retry-After} header value in seconds, or {@code null} for none
     */
    record Problem(int status, byte[] body, String retryAfter) {

        /** Returns {@link HttpStatusMapping#PROBLEM_CONTENT_TYPE}. */
        String contentType() {
            return PROBLEM_CONTENT_TYPE;
        }
    }
}
