package io.courier.rpc.internal.protocol;

/**
 * A frame whose framing was intact but whose header metadata could not be decoded.
 *
 * <p>Thread-safe (immutable). Because the frame boundaries are known, the connection survives:
 * a provider answers a malformed request with {@link io.courier.rpc.RpcErrorCode#BAD_REQUEST}, a consumer fails
 * the matching call.
 *
 * @param type the declared type, or {@code null} when the type byte was unknown
 * @param requestId the request id from the fixed header
 * @param reason what was wrong, for logs and the error response
 */
public record MalformedMessage(MessageType type, long requestId, String reason) {
}
