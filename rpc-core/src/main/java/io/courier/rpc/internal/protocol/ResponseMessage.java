package io.courier.rpc.internal.protocol;

import io.courier.rpc.RpcErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

import java.util.Map;

/**
 * A decoded response frame: status, attachments, error description and the still-serialized
 * body (the return value, or the exception when {@link #status()} is an error).
 *
 * <p>Not thread-safe in its reference count; whoever consumes it last must {@link #release()} it.
 */
public final class ResponseMessage extends DefaultByteBufHolder {

    private final long requestId;
    private final byte serializationId;
    private final int statusCode;
    private final Map<String, String> attachments;
    private final String errorClass;
    private final String errorMessage;

    /** Creates a response message owning {@code body}. */
    public ResponseMessage(long requestId, byte serializationId, int statusCode, Map<String, String> attachments,
            String errorClass, String errorMessage, ByteBuf body) {
        super(body);
        this.requestId = requestId;
        this.serializationId = serializationId;
        this.statusCode = statusCode;
        this.attachments = attachments;
        this.errorClass = errorClass;
        this.errorMessage = errorMessage;
    }

    /** Returns the id of the request this answers. */
    public long requestId() {
        return requestId;
    }

    /** Returns the wire id of the serializer that wrote the body. */
    public byte serializationId() {
        return serializationId;
    }

    /** Returns the status; unknown wire numbers map to {@link RpcErrorCode#UNKNOWN}. */
    public RpcErrorCode status() {
        return RpcErrorCode.of(statusCode);
    }

    /** Returns the raw status number as received. */
    public int statusCode() {
        return statusCode;
    }

    /** Returns the provider's response attachments, never {@code null}. */
    public Map<String, String> attachments() {
        return attachments;
    }

    /** Returns the class name of the remote exception, or an empty string. */
    public String errorClass() {
        return errorClass;
    }

    /** Returns the remote error message, or an empty string. */
    public String errorMessage() {
        return errorMessage;
    }

    @Override
    public String toString() {
        return "ResponseMessage[id=" + requestId + ", status=" + status() + ", body=" + content().readableBytes() + "B]";
    }
}
