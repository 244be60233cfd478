package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcException;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * Encodes and writes responses on the provider side, turning every failure into an error
 * response the consumer can act on.
 *
 * <p>Thread-safe (immutable); called from business threads and event loops.
 */
final class ResponseSender {

    private static final Logger log = LoggerFactory.getLogger(ResponseSender.class);

    private final FrameWriter writer;

    ResponseSender(FrameWriter writer) {
        this.writer = writer;
    }

    /** Answers with a framework error and no body. */
    void error(Channel channel, long requestId, byte serializationId, RpcErrorCode code, String message) {
        write(channel, writer.response(channel.alloc(), requestId, serializationId, code, Map.of(), "",
                message == null ? "" : message, FrameWriter.BodyWriter.EMPTY));
    }

    /** Answers with a return value, or with an error if the value cannot be encoded. */
    void value(Channel channel, long requestId, Serializer serializer, Object value, Type valueType,
            Map<String, String> attachments, ResponseSizeHint sizeHint) {
        ByteBuf frame;
        try {
            frame = writer.response(channel.alloc(), requestId, serializer.id(), RpcErrorCode.OK, attachments, "", "",
                    out -> serializer.writeValue(value, valueType, out), sizeHint.get());
            sizeHint.record(frame.readableBytes());
        } catch (RpcException e) {
            log.warn("Cannot encode the result of request {} on {}: {}", requestId, channel, e.getMessage());
            error(channel, requestId, serializer.id(), e.code(), e.getMessage());
            return;
        }
        write(channel, frame);
    }

    /** Answers with an exception thrown by business code; the body carries it when it can be encoded. */
    void exception(Channel channel, long requestId, Serializer serializer, Throwable exception,
            Map<String, String> attachments) {
        String className = exception.getClass().getName();
        String message = exception.getMessage() == null ? "" : exception.getMessage();
        ByteBuf frame;
        try {
            frame = writer.response(channel.alloc(), requestId, serializer.id(), RpcErrorCode.APPLICATION_ERROR,
                    attachments, className, message, out -> serializer.writeException(exception, out));
        } catch (RpcException e) {
            // The consumer falls back to the class name and message in the header.
            log.debug("Cannot encode {} for request {} on {}: {}", className, requestId, channel, e.getMessage());
            frame = writer.response(channel.alloc(), requestId, serializer.id(), RpcErrorCode.APPLICATION_ERROR,
                    attachments, className, message, FrameWriter.BodyWriter.EMPTY);
        }
        write(channel, frame);
    }

    private static void write(Channel channel, ByteBuf frame) {
        // On a closed channel Netty fails the write and releases the frame.
        channel.writeAndFlush(frame, channel.voidPromise());
    }
}
