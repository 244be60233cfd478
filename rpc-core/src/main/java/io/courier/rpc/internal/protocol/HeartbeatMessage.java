package io.courier.rpc.internal.protocol;

/**
 * A decoded heartbeat frame.
 *
 * <p>Thread-safe (immutable).
 *
 * @param ping {@code true} for a probe that must be answered, {@code false} for the answer
 * @param id an id the answer echoes
 */
public record HeartbeatMessage(boolean ping, long id) {
}
