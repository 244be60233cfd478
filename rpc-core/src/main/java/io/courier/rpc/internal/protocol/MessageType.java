package io.courier.rpc.internal.protocol;

/**
 * Kind of a frame, written in byte 3 of the frame header.
 *
 * <p>Thread-safe (immutable). Values 6 to 8 are stream frames (revision 1.2), 9 is the provider's going-away notice (revision
 * 1.3); 10 to 15 are reserved.
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
    CANCEL(5),

    /**
     * One message of a stream, matched to its call by request id: from the provider, an element
     * of the answer stream; from the consumer, an element of the request stream. Sent only while
     * the receiver has granted credit ({@link #STREAM_CREDIT}). Added in revision 1.2.
     */
    STREAM_MESSAGE(6),

    /** The consumer sent the last message of its request stream. Added in revision 1.2. */
    STREAM_HALF_CLOSE(7),

    /**
     * The receiver of a stream lets its sender send this many more messages (request-n, carried
     * as a varint in the header). Added in revision 1.2.
     */
    STREAM_CREDIT(8),

    /**
     * The provider is going away (shutting down): the consumer sends no new calls on this
     * connection, and calls already sent are still answered. Added in revision 1.3; an older
     * consumer skips it, and learns from {@code SHUTTING_DOWN} refusals instead.
     */
    GOAWAY(9);

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
            case 6 -> STREAM_MESSAGE;
            case 7 -> STREAM_HALF_CLOSE;
            case 8 -> STREAM_CREDIT;
            case 9 -> GOAWAY;
            default -> null;
        };
    }
}
