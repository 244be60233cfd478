package io.courier.rpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;
import java.util.Map;

/**
 * Turns a whole frame from {@link RpcFrameDecoder} into a {@link RequestMessage},
 * {@link ResponseMessage}, {@link HeartbeatMessage}, {@link CancelMessage}, {@link StreamFrame} or {@link MalformedMessage}.
 *
 * <p>Stateless, thread-safe and {@link ChannelHandler.Sharable}. The body is passed on as a
 * retained slice of the frame, without copying; the frame itself is released by the superclass.
 */
@ChannelHandler.Sharable
public final class RpcMessageDecoder extends MessageToMessageDecoder<ByteBuf> {

    private final StringCache strings = new StringCache();

    /** Creates a decoder; one instance may serve every channel. */
    public RpcMessageDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(decode(frame));
    }

    /** Decodes one whole frame; the caller keeps ownership of {@code frame}. */
    Object decode(ByteBuf frame) {
        int base = frame.readerIndex();
        byte typeByte = frame.getByte(base + RpcFrame.TYPE_OFFSET);
        byte flags = frame.getByte(base + RpcFrame.FLAGS_OFFSET);
        byte serialization = frame.getByte(base + RpcFrame.SERIALIZATION_OFFSET);
        int status = frame.getUnsignedShort(base + RpcFrame.STATUS_OFFSET);
        long requestId = frame.getLong(base + RpcFrame.REQUEST_ID_OFFSET);
        int headerLength = frame.getInt(base + RpcFrame.HEADER_LENGTH_OFFSET);
        int bodyLength = frame.getInt(base + RpcFrame.BODY_LENGTH_OFFSET);
        int headerStart = base + RpcFrame.FIXED_HEADER_LENGTH;
        int headerEnd = headerStart + headerLength;
        MessageType type = MessageType.of(typeByte);
        if (type == null) {
            return new MalformedMessage(null, requestId, "unknown message type " + typeByte);
        }
        try {
            frame.readerIndex(headerStart);
            switch (type) {
                case REQUEST -> {
                    String serviceKey = HeaderCodec.readString(frame, headerEnd, strings);
                    String method = HeaderCodec.readString(frame, headerEnd, strings);
                    String descriptor = HeaderCodec.readString(frame, headerEnd, strings);
                    long timeout = HeaderCodec.readVarLong(frame, headerEnd);
                    Map<String, String> attachments = HeaderCodec.readAttachments(frame, headerEnd);
                    checkConsumed(frame, headerEnd);
                    return new RequestMessage(requestId, flags, serialization, serviceKey, method, descriptor, timeout,
                            attachments, frame.retainedSlice(headerEnd, bodyLength));
                }
                case RESPONSE -> {
                    Map<String, String> attachments = HeaderCodec.readAttachments(frame, headerEnd);
                    String errorClass = HeaderCodec.readString(frame, headerEnd);
                    String errorMessage = HeaderCodec.readString(frame, headerEnd);
                    checkConsumed(frame, headerEnd);
                    return new ResponseMessage(requestId, serialization, status, attachments, errorClass, errorMessage,
                            frame.retainedSlice(headerEnd, bodyLength));
                }
                case HEARTBEAT_PING -> {
                    return new HeartbeatMessage(true, requestId);
                }
                case HEARTBEAT_PONG -> {
                    return new HeartbeatMessage(false, requestId);
                }
                case CANCEL -> {
                    return new CancelMessage(requestId);
                }
                case GOAWAY -> {
                    return GoAwayMessage.INSTANCE;
                }
                case STREAM_MESSAGE -> {
                    return new StreamFrame(type, requestId, serialization, 0, frame.retainedSlice(headerEnd, bodyLength));
                }
                case STREAM_HALF_CLOSE -> {
                    return new StreamFrame(type, requestId, (byte) 0, 0, Unpooled.EMPTY_BUFFER);
                }
                case STREAM_CREDIT -> {
                    long credit = HeaderCodec.readVarLong(frame, headerEnd);
                    checkConsumed(frame, headerEnd);
                    if (credit <= 0) {
                        return new MalformedMessage(type, requestId, "stream credit must be positive, was " + credit);
                    }
                    return new StreamFrame(type, requestId, (byte) 0, credit, Unpooled.EMPTY_BUFFER);
                }
                default -> throw new IllegalStateException("unhandled type " + type);
            }
        } catch (CorruptedFrameException | IndexOutOfBoundsException e) {
            return new MalformedMessage(type, requestId, "malformed header: " + e.getMessage());
        } finally {
            frame.readerIndex(frame.writerIndex());
        }
    }

    private static void checkConsumed(ByteBuf frame, int headerEnd) {
        // Trailing header bytes are tolerated: a newer minor revision may append fields.
        if (frame.readerIndex() > headerEnd) {
            throw new CorruptedFrameException("header overran its declared length");
        }
    }
}
