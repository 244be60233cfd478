package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcException;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * Encodes and writes responses on the provider side, turning every failure into an error
 * response the consumer can act on, or, when not even that can be written, into a counted and
 * logged {@link AnswerFailures failure}: no answer vanishes silently.
 *
 * <p>Values and business exceptions go through the connection's {@link ResponseQueueHandler}:
 * encoded on the calling thread while the connection takes them, kept unencoded while it does
 * not. Framework errors are small and written at once.
 *
 * <p>Thread-safe; called from business threads and event loops.
 */
final class ResponseSender {

    private static final Logger log = LoggerFactory.getLogger(ResponseSender.class);
    private static final String OUT_OF_MEMORY = "Provider ran out of memory encoding the response";
    /** What a business exception's answer reserves: most are a class name, a message and a few fields. */
    private static final int EXCEPTION_SIZE = 512;
    /** What an answer of a method whose answers are not known yet reserves: as much as a size hint goes. */
    private static final int UNKNOWN_SIZE = 1 << 20;

    private final FrameWriter writer;
    private final AnswerFailures failures = new AnswerFailures();

    ResponseSender(FrameWriter writer) {
        this.writer = writer;
    }

    /** Returns the count of answers that did not reach their consumer as they were. */
    AnswerFailures failures() {
        return failures;
    }

    /** Answers with a framework error and no body. */
    void error(Channel channel, long requestId, byte serializationId, RpcErrorCode code, String message) {
        ByteBuf frame = errorFrame(channel, channel.alloc(), requestId, serializationId, code, message);
        if (frame != null) {
            write(channel, requestId, frame, true);
        }
    }

    /** Answers with a return value, or with an error if the value cannot be encoded. */
    void value(Channel channel, long requestId, Serializer serializer, Object value, Type valueType,
            Map<String, String> attachments, ResponseSizeHint sizeHint) {
        ResponseQueueHandler queue = ResponseQueueHandler.of(channel);
        // A method's first answers may be of any size: until one is known they reserve as much as
        // an answer may, so a first burst of large answers is encoded one at a time.
        int size = sizeHint.known() ? sizeHint.get() : UNKNOWN_SIZE;
        if (queue == null || queue.tryReserve(size)) {
            try {
                send(channel, requestId,
                        encodeValue(channel, channel.alloc(), requestId, serializer, value, valueType, attachments,
                                sizeHint));
            } finally {
                if (queue != null) {
                    queue.release(size);
                }
            }
        } else {
            queue.enqueue(requestId,
                    alloc -> encodeValue(channel, alloc, requestId, serializer, value, valueType, attachments,
                            sizeHint));
        }
    }

    /** Answers with an exception thrown by business code; the body carries it when it can be encoded. */
    void exception(Channel channel, long requestId, Serializer serializer, Throwable exception,
            Map<String, String> attachments) {
        ResponseQueueHandler queue = ResponseQueueHandler.of(channel);
        if (queue == null || queue.tryReserve(EXCEPTION_SIZE)) {
            try {
                send(channel, requestId, encodeException(channel, channel.alloc(), requestId, serializer, exception,
                        attachments));
            } finally {
                if (queue != null) {
                    queue.release(EXCEPTION_SIZE);
                }
            }
        } else {
            queue.enqueue(requestId,
                    alloc -> encodeException(channel, alloc, requestId, serializer, exception, attachments));
        }
    }

    private ByteBuf encodeValue(Channel channel, ByteBufAllocator alloc, long requestId, Serializer serializer,
            Object value, Type valueType, Map<String, String> attachments, ResponseSizeHint sizeHint) {
        try {
            ByteBuf frame = writer.response(alloc, requestId, serializer.id(), RpcErrorCode.OK, attachments, "", "",
                    out -> serializer.writeValue(value, valueType, out), sizeHint.get());
            sizeHint.record(frame.readableBytes());
            return frame;
        } catch (RpcException e) {
            log.warn("Cannot encode the result of request {} on {}: {}", requestId, channel, e.getMessage());
            return errorFrame(channel, alloc, requestId, serializer.id(), e.code(), e.getMessage());
        } catch (OutOfMemoryError e) {
            // Direct memory (or heap) ran out: the frame's buffer is freed; a small error still fits.
            failures.encodeFailed(channel, requestId, e);
            return errorFrame(channel, alloc, requestId, serializer.id(), RpcErrorCode.INTERNAL, OUT_OF_MEMORY);
        }
    }

    private ByteBuf encodeException(Channel channel, ByteBufAllocator alloc, long requestId, Serializer serializer,
            Throwable exception, Map<String, String> attachments) {
        String className = exception.getClass().getName();
        String message = exception.getMessage() == null ? "" : exception.getMessage();
        try {
            try {
                return writer.response(alloc, requestId, serializer.id(), RpcErrorCode.APPLICATION_ERROR,
                        attachments, className, message, out -> serializer.writeException(exception, out));
            } catch (RpcException e) {
                // The consumer falls back to the class name and message in the header.
                log.debug("Cannot encode {} for request {} on {}: {}", className, requestId, channel,
                        e.getMessage());
                return writer.response(alloc, requestId, serializer.id(), RpcErrorCode.APPLICATION_ERROR,
                        attachments, className, message, FrameWriter.BodyWriter.EMPTY);
            }
        } catch (OutOfMemoryError e) {
            failures.encodeFailed(channel, requestId, e);
            return errorFrame(channel, alloc, requestId, serializer.id(), RpcErrorCode.INTERNAL, OUT_OF_MEMORY);
        }
    }

    /**
     * Encodes the response frame that ends a stream: {@code OK} without a body when the stream
     * completed, else its failure as a single answer would carry it (a framework error's code, or
     * a business exception); {@code null} (counted as lost) when not even that can be allocated.
     */
    ByteBuf streamEnd(Channel channel, long requestId, Serializer serializer, Throwable failure,
            Map<String, String> attachments) {
        if (failure == null) {
            return errorFrame(channel, channel.alloc(), requestId, serializer.id(), RpcErrorCode.OK, "", attachments);
        }
        if (failure instanceof RpcException e) {
            return errorFrame(channel, channel.alloc(), requestId, serializer.id(), e.code(), e.getMessage(),
                    attachments);
        }
        return encodeException(channel, channel.alloc(), requestId, serializer, failure, attachments);
    }

    private ByteBuf errorFrame(Channel channel, ByteBufAllocator alloc, long requestId, byte serializationId,
            RpcErrorCode code, String message) {
        return errorFrame(channel, alloc, requestId, serializationId, code, message, Map.of());
    }

    /** Encodes an answer without a body; {@code null} (counted as lost) when not even that can be allocated. */
    private ByteBuf errorFrame(Channel channel, ByteBufAllocator alloc, long requestId, byte serializationId,
            RpcErrorCode code, String message, Map<String, String> attachments) {
        try {
            return writer.response(alloc, requestId, serializationId, code, attachments, "",
                    message == null ? "" : message, FrameWriter.BodyWriter.EMPTY);
        } catch (OutOfMemoryError e) {
            failures.writeFailed(channel, requestId, e);
            return null;
        }
    }

    private void send(Channel channel, long requestId, ByteBuf frame) {
        if (frame != null) {
            write(channel, requestId, frame, true);
        }
    }

    /**
     * Writes an encoded answer, flushing unless the caller flushes a batch. A failed write is
     * counted and logged with its request id; Netty releases the frame.
     */
    void write(Channel channel, long requestId, ByteBuf frame, boolean flush) {
        AnswerWrite promise = new AnswerWrite(channel, requestId, failures);
        if (flush) {
            channel.writeAndFlush(frame, promise);
        } else {
            channel.write(frame, promise);
        }
    }

    /** The outcome of one answer's write, which knows the answer's request id for the log. */
    private static final class AnswerWrite extends DefaultChannelPromise implements ChannelFutureListener {

        private final long requestId;
        private final AnswerFailures failures;

        AnswerWrite(Channel channel, long requestId, AnswerFailures failures) {
            super(channel);
            this.requestId = requestId;
            this.failures = failures;
            addListener(this);
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            if (!future.isSuccess()) {
                failures.writeFailed(channel(), requestId, future.cause());
            }
        }
    }
}
