package io.courier.rpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A decoded stream frame other than the open request and the closing response: a message, a
 * half-close or a credit grant, matched to its call by request id.
 *
 * <p>Not thread-safe in its reference count; a message's body belongs to whoever consumes the
 * frame last, who must {@link #release()} it. Half-close and credit frames carry an empty body.
 */
public final class StreamFrame extends DefaultByteBufHolder {

    private final MessageType type;
    private final long requestId;
    private final byte serializationId;
    private final long credit;

    /** Creates a frame owning {@code body}. */
    public StreamFrame(MessageType type, long requestId, byte serializationId, long credit, ByteBuf body) {
        super(body);
        this.type = type;
        this.requestId = requestId;
        this.serializationId = serializationId;
        this.credit = credit;
    }

    /** Returns {@link MessageType#STREAM_MESSAGE}, {@link MessageType#STREAM_HALF_CLOSE} or {@link MessageType#STREAM_CREDIT}. */
    public MessageType type() {
        return type;
    }

    /** Returns the id of the call the frame belongs to. */
    public long requestId() {
        return requestId;
    }

    /** Returns the wire id of the serializer that wrote a message's body; 0 for other frames. */
    public byte serializationId() {
        return serializationId;
    }

    /** Returns the messages a credit frame grants; 0 for other frames. */
    public long credit() {
        return credit;
    }

    @Override
    public String toString() {
        return "StreamFrame[" + type + ", id=" + requestId + (type == MessageType.STREAM_CREDIT ? ", credit=" + credit
                : ", body=" + content().readableBytes() + "B") + "]";
    }
}
