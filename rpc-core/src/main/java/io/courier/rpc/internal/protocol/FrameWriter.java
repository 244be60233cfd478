package io.courier.rpc.internal.protocol;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.OutputStream;
import java.util.Map;

/**
 * Encodes Courier frames into pooled buffers, writing the body straight into the frame buffer
 * (no intermediate byte arrays).
 *
 * <p>Thread-safe: each thread writes bodies through a stream of its own that is reused from
 * frame to frame. Frames are encoded on the calling thread, so serialization errors
 * reach the caller directly instead of surfacing on an event loop. A frame larger than the
 * maximum is never sent: its buffer is released and an {@link RpcException} is thrown.
 */
public final class FrameWriter {

    /** Writes a serialized body into the frame. */
    @FunctionalInterface
    public interface BodyWriter {

        /** A body writer for an empty body. */
        BodyWriter EMPTY = out -> { };

        /** Writes the body; the stream must not be closed. */
        void writeTo(OutputStream out);
    }

    private static final int INITIAL_CAPACITY = 256;

    private final int maxFrameSize;
    private final ThreadLocal<BodyOutputStream> bodyStreams = ThreadLocal.withInitial(BodyOutputStream::new);

    /** Creates a writer refusing frames larger than {@code maxFrameSize} bytes. */
    public FrameWriter(int maxFrameSize) {
        if (maxFrameSize < RpcFrame.FIXED_HEADER_LENGTH) {
            throw new InvalidOptionException("maxFrameSize", maxFrameSize, ">= " + RpcFrame.FIXED_HEADER_LENGTH);
        }
        this.maxFrameSize = maxFrameSize;
    }

    /** Returns the largest frame this writer produces. */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * Encodes a request frame.
     *
     * @param timeoutMillis remaining time budget of the call, or 0 for none
     * @throws RpcException with {@link RpcErrorCode#BAD_REQUEST} when the frame would exceed the maximum
     */
    public ByteBuf request(ByteBufAllocator alloc, long requestId, boolean oneWay, byte serializationId,
            String serviceKey, String methodName, String parameterDescriptor, long timeoutMillis,
            Map<String, String> attachments, BodyWriter body) {
        return request(alloc, requestId, oneWay ? RpcFrame.FLAG_ONE_WAY : 0, serializationId, serviceKey, methodName,
                parameterDescriptor, timeoutMillis, attachments, body);
    }

    /**
     * Encodes a request frame with the given flags ({@link RpcFrame#FLAG_ONE_WAY},
     * {@link RpcFrame#FLAG_STREAM}).
     *
     * @param timeoutMillis remaining time budget of the call, or 0 for none
     * @throws RpcException with {@link RpcErrorCode#BAD_REQUEST} when the frame would exceed the maximum
     */
    public ByteBuf request(ByteBufAllocator alloc, long requestId, int flags, byte serializationId,
            String serviceKey, String methodName, String parameterDescriptor, long timeoutMillis,
            Map<String, String> attachments, BodyWriter body) {
        ByteBuf buf = alloc.ioBuffer(INITIAL_CAPACITY, maxFrameSize);
        try {
            writeFixed(buf, MessageType.REQUEST, flags, serializationId, 0, requestId);
            int headerStart = buf.writerIndex();
            HeaderCodec.writeString(buf, serviceKey);
            HeaderCodec.writeString(buf, methodName);
            HeaderCodec.writeString(buf, parameterDescriptor);
            HeaderCodec.writeVarLong(buf, Math.max(0, timeoutMillis));
            HeaderCodec.writeAttachments(buf, attachments);
            finish(buf, headerStart, body, RpcErrorCode.BAD_REQUEST, "Request");
            return buf;
        } catch (IndexOutOfBoundsException e) {
            buf.release();
            throw new RpcException(RpcErrorCode.BAD_REQUEST, "Request header exceeds the maximum frame size of "
                    + maxFrameSize + " bytes");
        } catch (RuntimeException | Error e) {
            buf.release();
            throw e;
        }
    }

    /**
     * Encodes a response frame.
     *
     * @throws RpcException with {@link RpcErrorCode#INTERNAL} when the frame would exceed the maximum
     */
    public ByteBuf response(ByteBufAllocator alloc, long requestId, byte serializationId, RpcErrorCode status,
            Map<String, String> attachments, String errorClass, String errorMessage, BodyWriter body) {
        return response(alloc, requestId, serializationId, status, attachments, errorClass, errorMessage, body,
                INITIAL_CAPACITY);
    }

    /**
     * Encodes a response frame into a buffer of {@code sizeHint} bytes to start with, so that
     * large bodies are not copied while the buffer grows.
     *
     * @throws RpcException with {@link RpcErrorCode#INTERNAL} when the frame would exceed the maximum
     */
    public ByteBuf response(ByteBufAllocator alloc, long requestId, byte serializationId, RpcErrorCode status,
            Map<String, String> attachments, String errorClass, String errorMessage, BodyWriter body, int sizeHint) {
        ByteBuf buf = alloc.ioBuffer(Math.max(INITIAL_CAPACITY, Math.min(sizeHint, maxFrameSize)), maxFrameSize);
        try {
            writeFixed(buf, MessageType.RESPONSE, 0, serializationId, status.code(), requestId);
            int headerStart = buf.writerIndex();
            HeaderCodec.writeAttachments(buf, attachments);
            HeaderCodec.writeString(buf, errorClass);
            HeaderCodec.writeString(buf, errorMessage);
            finish(buf, headerStart, body, RpcErrorCode.INTERNAL, "Response");
            return buf;
        } catch (IndexOutOfBoundsException e) {
            buf.release();
            throw new RpcException(RpcErrorCode.INTERNAL, "Response header exceeds the maximum frame size of "
                    + maxFrameSize + " bytes");
        } catch (RuntimeException | Error e) {
            buf.release();
            throw e;
        }
    }

    /** Encodes a heartbeat frame. */
    public ByteBuf heartbeat(ByteBufAllocator alloc, boolean ping, long id) {
        ByteBuf buf = alloc.ioBuffer(RpcFrame.FIXED_HEADER_LENGTH);
        writeFixed(buf, ping ? MessageType.HEARTBEAT_PING : MessageType.HEARTBEAT_PONG, 0, (byte) 0, 0, id);
        return buf;
    }

    /** Encodes a cancel frame for a call this side sent. */
    public ByteBuf cancel(ByteBufAllocator alloc, long requestId) {
        ByteBuf buf = alloc.ioBuffer(RpcFrame.FIXED_HEADER_LENGTH);
        writeFixed(buf, MessageType.CANCEL, 0, (byte) 0, 0, requestId);
        return buf;
    }

    /**
     * Encodes one stream message into {@code buf}, after what it already holds, so that a
     * sender can batch several messages into one write.
     *
     * @throws RpcException with {@link RpcErrorCode#INTERNAL} when the message would exceed the
     *         maximum frame size; {@code buf} is then left as it was
     */
    public void streamMessage(ByteBuf buf, long requestId, byte serializationId, BodyWriter body) {
        int start = buf.writerIndex();
        try {
            writeFixed(buf, MessageType.STREAM_MESSAGE, 0, serializationId, 0, requestId);
            int headerStart = buf.writerIndex();
            int bodyStart = headerStart;
            writeBody(buf, body);
            int end = buf.writerIndex();
            if (end - start > maxFrameSize) {
                throw new RpcException(RpcErrorCode.INTERNAL, "Stream message exceeds the maximum frame size of "
                        + maxFrameSize + " bytes");
            }
            buf.setInt(start + RpcFrame.HEADER_LENGTH_OFFSET, bodyStart - headerStart);
            buf.setInt(start + RpcFrame.BODY_LENGTH_OFFSET, end - bodyStart);
        } catch (RuntimeException | Error e) {
            buf.writerIndex(start);
            throw e;
        }
    }

    /** Encodes a going-away frame: the provider takes no new calls on this connection. */
    public ByteBuf goAway(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.ioBuffer(RpcFrame.FIXED_HEADER_LENGTH);
        writeFixed(buf, MessageType.GOAWAY, 0, (byte) 0, 0, 0);
        return buf;
    }

    /** Encodes a half-close frame: the consumer sent the last message of its request stream. */
    public ByteBuf halfClose(ByteBufAllocator alloc, long requestId) {
        ByteBuf buf = alloc.ioBuffer(RpcFrame.FIXED_HEADER_LENGTH);
        writeFixed(buf, MessageType.STREAM_HALF_CLOSE, 0, (byte) 0, 0, requestId);
        return buf;
    }

    /** Encodes a credit frame granting the peer {@code credit} more stream messages. */
    public ByteBuf credit(ByteBufAllocator alloc, long requestId, long credit) {
        if (credit <= 0) {
            throw new IllegalArgumentException("credit: " + credit + " (expected: > 0)");
        }
        ByteBuf buf = alloc.ioBuffer(RpcFrame.FIXED_HEADER_LENGTH + 10);
        writeFixed(buf, MessageType.STREAM_CREDIT, 0, (byte) 0, 0, requestId);
        int headerStart = buf.writerIndex();
        HeaderCodec.writeVarLong(buf, credit);
        buf.setInt(RpcFrame.HEADER_LENGTH_OFFSET, buf.writerIndex() - headerStart);
        return buf;
    }

    private static void writeFixed(ByteBuf buf, MessageType type, int flags, byte serializationId, int status,
            long requestId) {
        buf.writeShort(RpcFrame.MAGIC)
                .writeByte(RpcFrame.VERSION)
                .writeByte(type.value())
                .writeByte(flags)
                .writeByte(serializationId)
                .writeShort(status)
                .writeLong(requestId)
                .writeZero(8); // header and body lengths, set by finish()
    }

    private void writeBody(ByteBuf buf, BodyWriter body) {
        BodyOutputStream out = bodyStreams.get();
        if (out.inUse()) {
            out = new BodyOutputStream();
        }
        out.target(buf);
        try {
            body.writeTo(out);
        } finally {
            out.target(null);
        }
    }

    private void finish(ByteBuf buf, int headerStart, BodyWriter body, RpcErrorCode tooLarge, String what) {
        int bodyStart = buf.writerIndex();
        if (body != BodyWriter.EMPTY) {
            try {
                writeBody(buf, body);
            } catch (RuntimeException e) {
                // The buffer's max capacity is the frame limit, so an oversized body fails
                // while it is written instead of after gigabytes were buffered.
                if (causedByCapacity(e)) {
                    throw new RpcException(tooLarge, what + " exceeds the maximum frame size of "
                            + maxFrameSize + " bytes");
                }
                throw e;
            }
        }
        int end = buf.writerIndex();
        int frameStart = buf.readerIndex();
        buf.setInt(frameStart + RpcFrame.HEADER_LENGTH_OFFSET, bodyStart - headerStart);
        buf.setInt(frameStart + RpcFrame.BODY_LENGTH_OFFSET, end - bodyStart);
    }

    private static boolean causedByCapacity(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IndexOutOfBoundsException) {
                return true;
            }
        }
        return false;
    }
}
