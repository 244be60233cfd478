package io.courier.rpc.internal.protocol;

/**
 * Kind of a frame, written in byte 3 of the frame header.
 *
 * <p>Thread-safe (immutable). Values 6 to 15 are reserved for stream frames.
 */
public enum MessageType {

    /** A call from a consumer to a provider. */
    REQUEST(1),

    /** The answer to a {@link #REQUEST}, matched by request id. */
    RESPONSE(2),

    /** A keep-alive probe; the peer answers with {@link #HEARTBEAT_PONG}. */
    HEARTBEAT_PING(3),

    /** The answer to a {@link #HEARTBEAT_PING}. */
    HEARTBEAT_PONG(4),

    /**
     * The caller gave up on a {@link #REQUEST}, matched by request id: the provider skips it if
     * it is still queued, or marks its context cancelled if it is running, and sends no answer.
     * Added in revision 1.1 of version 1; an older peer skips the frame as an unknown type.
     */
    CANCEL(5);

    private final byte value;

    MessageType(int value) {
        this.value = (byte) value;
    }

    /** Returns the byte written on the wire. */
    public byte value() {
        return value;
    }

    /** Returns the type for a wire byte, or {@code null} when it is not a known type. */
    public static MessageType of(byte value) {
        return switch (value) {
            case 1 -> REQUEST;
            case 2 -> RESPONSE;
            case 3 -> HEARTBEAT_PING;
            case 4 -> HEARTBEAT_PONG;
            case 5 -> CANCEL;
            default -> null;
        };
    }
}
