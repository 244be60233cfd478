package io.courier.rpc.internal.protocol;

/**
 * A decoded cancel frame: the caller no longer wants the answer to a request.
 *
 * <p>Thread-safe (immutable).
 *
 * @param requestId the id of the cancelled request
 */
public record CancelMessage(long requestId) {
}
