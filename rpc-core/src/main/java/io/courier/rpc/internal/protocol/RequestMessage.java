package io.courier.rpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

import java.util.Map;

/**
 * A decoded request frame: header fields plus the still-serialized argument body.
 *
 * <p>Not thread-safe in its reference count; whoever consumes it last must {@link #release()} it.
 * The body is decoded later by whoever knows the parameter types.
 */
public final class RequestMessage extends DefaultByteBufHolder {

    private final long requestId;
    private final byte flags;
    private final byte serializationId;
    private final String serviceKey;
    private final String methodName;
    private final String parameterDescriptor;
    private final long timeoutMillis;
    private final Map<String, String> attachments;

    /** Creates a request message owning {@code body}. */
    public RequestMessage(long requestId, byte flags, byte serializationId, String serviceKey, String methodName,
            String parameterDescriptor, long timeoutMillis, Map<String, String> attachments, ByteBuf body) {
        super(body);
        this.requestId = requestId;
        this.flags = flags;
        this.serializationId = serializationId;
        this.serviceKey = serviceKey;
        this.methodName = methodName;
        this.parameterDescriptor = parameterDescriptor;
        this.timeoutMillis = timeoutMillis;
        this.attachments = attachments;
    }

    /** Returns the id the response must echo. */
    public long requestId() {
        return requestId;
    }

    /** Whether the caller awaits no response. */
    public boolean isOneWay() {
        return (flags & RpcFrame.FLAG_ONE_WAY) != 0;
    }

    /** Whether the request opens a stream ({@link RpcFrame#FLAG_STREAM}). */
    public boolean isStream() {
        return (flags & RpcFrame.FLAG_STREAM) != 0;
    }

    /** Returns the wire id of the serializer that wrote the body. */
    public byte serializationId() {
        return serializationId;
    }

    /** Returns the service key ({@code group/interface:version}). */
    public String serviceKey() {
        return serviceKey;
    }

    /** Returns the method name. */
    public String methodName() {
        return methodName;
    }

    /** Returns the parameter type descriptor that selects among overloads. */
    public String parameterDescriptor() {
        return parameterDescriptor;
    }

    /** Returns the caller's remaining time budget in milliseconds when it sent the call, or 0 for none. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** Returns the caller's attachments, never {@code null}. */
    public Map<String, String> attachments() {
        return attachments;
    }

    @Override
    public String toString() {
        return "RequestMessage[id=" + requestId + ", " + serviceKey + "#" + methodName + "(" + parameterDescriptor
                + "), body=" + content().readableBytes() + "B]";
    }
}
