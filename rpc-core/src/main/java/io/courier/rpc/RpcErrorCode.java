package io.courier.rpc;

import java.util.function.ToIntFunction;

/**
 * Stable numeric status of a call, carried in the {@code status} field of every response frame.
 *
 * <p>Thread-safe (immutable). Numbers are part of the wire protocol: they are never reused or
 * renumbered, and a number this version does not know decodes to {@link #UNKNOWN}. Each
 * constant says whether retrying the call on another provider is safe, that is whether the
 * provider's business code provably did not run.
 */
public enum RpcErrorCode {

    /** The call succeeded. */
    OK(0, false),

    /** A status this version does not know; retry is not safe. */
    UNKNOWN(1, false),

    /**
     * The call did not complete within its deadline. The provider may or may not have run it,
     * so retry is safe only for idempotent methods; {@link RpcException#outcomeUnknown()} tells
     * whether the request had been written.
     */
    TIMEOUT(2, false),

    /** The provider does not export the requested service; retry on another provider is safe. */
    SERVICE_NOT_FOUND(3, true),

    /** The service has no method with that name and parameter types; retry is safe. */
    METHOD_NOT_FOUND(4, true),

    /**
     * A request or response body could not be serialized or deserialized, or named a class the
     * allowlist refuses. Retry will fail the same way.
     */
    SERIALIZATION(5, false),

    /** The provider's business executor is full; the call never ran, retry is safe. */
    SERVER_BUSY(6, true),

    /**
     * The connection closed while the call was in flight. The provider may have run it, so
     * retry is safe only for idempotent methods.
     *
     * <p>No longer set by this version's consumer, which says {@link #OUTCOME_UNKNOWN} when the
     * request was written and {@link #NOT_SENT} when it was not; kept for older peers and treated
     * like {@link #OUTCOME_UNKNOWN}.
     */
    CONNECTION_LOST(7, false),

    /** No connection to the provider could be made; the call was never sent, retry is safe. */
    CONNECT_FAILED(8, true),

    /** The provider's business code threw an exception; retry is not safe. */
    APPLICATION_ERROR(9, false),

    /** The call was refused by a rate limiter before it ran (like HTTP 429); retry is safe. */
    RATE_LIMITED(10, true),

    /** The request was malformed or violated a protocol limit; retry will fail the same way. */
    BAD_REQUEST(11, false),

    /** The provider is shutting down and refused the call before running it; retry is safe. */
    SHUTTING_DOWN(12, true),

    /** The framework failed on the provider outside business code; retry is not safe. */
    INTERNAL(13, false),

    /** The caller cancelled the call; retry is not safe. */
    CANCELLED(14, false),

    /**
     * The caller could not be authenticated (missing, malformed, bad or expired credentials), or
     * the consumer refused to send credentials over a connection without TLS; the call never
     * ran, and retry will fail the same way.
     */
    UNAUTHENTICATED(15, false),

    /** No provider address is known for the service; the call was never sent. */
    NO_PROVIDER(16, true),

    /** The call's deadline had already passed when the provider received it; it never ran. */
    DEADLINE_EXCEEDED(17, false),

    /**
     * The request was never written to the network (the connection closed before the write, or
     * its outbound buffer was above the high water mark); retry is safe.
     */
    NOT_SENT(18, true),

    /**
     * The caller was authenticated, but its principal may not call this method. Refused before
     * the call ran; retry is not safe: another provider refuses it the same way.
     */
    PERMISSION_DENIED(19, false),

    /**
     * The provider refused the call's arguments (like HTTP 400), usually through an
     * {@link io.courier.rpc.interceptor.RpcExceptionMapper}; the method did not complete, and
     * retry will fail the same way.
     */
    INVALID_ARGUMENT(20, false),

    /**
     * What the call asked for does not exist (like HTTP 404), usually through an
     * {@link io.courier.rpc.interceptor.RpcExceptionMapper}; retry will fail the same way.
     */
    NOT_FOUND(21, false),

    /**
     * The request was written but no answer came: the connection closed or the provider died
     * after the write. The provider may or may not have run the call, so retry is safe only for
     * idempotent methods. Set by the consumer ({@link RpcException#outcomeUnknown()} is
     * {@code true}); a provider never answers with it itself.
     */
    OUTCOME_UNKNOWN(22, false),

    /**
     * The provider refused the call because decoding its arguments would take more memory than
     * it allows: more than one call may use, or more than is left of the budget its calls in
     * flight share. Checked before anything is allocated for them; the call never ran, so retry
     * is safe (another provider, or this one once its other calls finish, may have room; a call
     * over the per-call limit fails the same way everywhere configured alike).
     */
    RESOURCE_EXHAUSTED(23, true),

    /**
     * The peer does not speak what the call needs: a streaming call to a method that does not
     * stream (or a unary call to one that does), or a stream frame the peer does not know. The
     * provider's business code did not run, but the same call to the same provider fails the same
     * way, so it is not retried.
     */
    UNSUPPORTED(24, false);

    // Built while the class initializes, so a reused or negative number fails the first use of any
    // code (ExceptionInInitializerError) instead of silently decoding one status as another.
    private static final RpcErrorCode[] BY_CODE = index(values(), RpcErrorCode::code);

    private final int code;
    private final boolean retrySafe;

    RpcErrorCode(int code, boolean retrySafe) {
        this.code = code;
        this.retrySafe = retrySafe;
    }

    /** Returns the number written on the wire. */
    public int code() {
        return code;
    }

    /** Whether the provider's business code provably did not run, so a retry cannot duplicate it. */
    public boolean isRetrySafe() {
        return retrySafe;
    }

    /** Returns the constant for a wire number, or {@link #UNKNOWN} for a number this version does not know. */
    public static RpcErrorCode of(int code) {
        return code >= 0 && code < BY_CODE.length && BY_CODE[code] != null ? BY_CODE[code] : UNKNOWN;
    }

    /**
     * Builds the lookup table from wire number to constant.
     *
     * @param codeOf reads a constant's number; a parameter only so tests can simulate a clash
     * @throws IllegalStateException if a number is negative or two constants share one, naming both
     */
    static RpcErrorCode[] index(RpcErrorCode[] constants, ToIntFunction<RpcErrorCode> codeOf) {
        int max = 0;
        for (RpcErrorCode c : constants) {
            int code = codeOf.applyAsInt(c);
            if (code < 0) {
                throw new IllegalStateException("RpcErrorCode " + c + " has negative code " + code);
            }
            max = Math.max(max, code);
        }
        RpcErrorCode[] table = new RpcErrorCode[max + 1];
        for (RpcErrorCode c : constants) {
            int code = codeOf.applyAsInt(c);
            if (table[code] != null) {
                throw new IllegalStateException("RpcErrorCode " + c + " reuses code " + code + " of " + table[code]);
            }
            table[code] = c;
        }
        return table;
    }
}
