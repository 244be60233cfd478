package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.dispatch.MethodInvoker;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.MessageType;
import io.courier.rpc.internal.protocol.RequestMessage;
import io.courier.rpc.internal.protocol.StreamFrame;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.serialization.DecodeBudget;
import io.courier.rpc.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A call that opened a stream (a request frame with the stream flag): its streamed argument,
 * if the method takes one, is fed by the consumer's stream messages, and a streamed result is
 * sent as stream messages ended by a response frame.
 *
 * <p>Same threading as {@link ServerCall}; stream frames arrive on the event loop
 * ({@link #onStreamFrame}), and the streams deliver to and ask the service on the business
 * executor. The call keeps its admission (concurrency limits, in-flight count) until the
 * stream ends.
 */
final class StreamServerCall extends BinaryServerCall {

    private final FrameWriter writer;
    private final Executor executor;
    private final int window;
    private StreamInbound inbound;
    private StreamOutbound outbound;
    private volatile Runnable ended;
    private volatile boolean streamOver;
    private volatile Map<String, String> endAttachments = Map.of();

    StreamServerCall(io.netty.channel.Channel channel, RequestMessage request, Serializer serializer,
            ResponseSender sender, Map<MethodInvoker, ResponseSizeHint> sizeHints, long receivedNanos,
            DecodeBudget decodeBudget, FrameWriter writer, Executor executor, int window) {
        super(channel, request, serializer, sender, sizeHints, receivedNanos, decodeBudget);
        this.writer = writer;
        this.executor = executor;
        this.window = window;
    }

    @Override
    MethodInvoker resolve(InvokerTable invokers) {
        MethodInvoker resolved = invokers.lookup(request.serviceKey(), request.methodName(),
                request.parameterDescriptor());
        MethodMetadata metadata = resolved.metadata();
        if (!metadata.isStreaming()) {
            throw RpcException.refusal(RpcErrorCode.UNSUPPORTED, metadata + " does not stream; call it without opening a stream");
        }
        // Created on the event loop, before any frame of the stream can follow the open.
        if (metadata.requestStreamIndex() >= 0) {
            inbound = new StreamInbound(channel, writer, request.requestId(), serializer,
                    metadata.requestElementType(), executor, window, () -> { });
        }
        if (metadata.isResponseStreaming()) {
            outbound = new StreamOutbound(channel, writer, request.requestId(), serializer, metadata.valueType(),
                    executor, this::endFrame, this::streamEnded);
        }
        return resolved;
    }

    @Override
    Object[] readArguments() {
        Object[] arguments = super.readArguments();
        MethodMetadata metadata = invoker.metadata();
        int index = metadata.requestStreamIndex();
        if (index >= 0) {
            arguments[index] = metadata.requestStreamType().fromFlow(inbound);
        }
        return arguments;
    }

    /** A message, half-close or credit of this stream arrived; takes ownership of the frame. */
    void onStreamFrame(StreamFrame frame) {
        if (frame.type() == MessageType.STREAM_MESSAGE && inbound != null) {
            // The body now belongs to the stream.
            inbound.onMessage(frame.content());
            return;
        }
        try {
            switch (frame.type()) {
                case STREAM_MESSAGE -> {
                    // The method takes no stream: nothing to feed.
                }
                case STREAM_HALF_CLOSE -> {
                    if (inbound != null) {
                        inbound.onComplete();
                    }
                }
                case STREAM_CREDIT -> {
                    if (outbound != null) {
                        outbound.addCredit(frame.credit());
                    }
                }
                default -> throw new IllegalStateException("not a stream frame: " + frame);
            }
        } finally {
            frame.release();
        }
    }

    /** The connection's writability changed. */
    void writabilityChanged() {
        StreamOutbound out = outbound;
        if (out != null) {
            out.writabilityChanged();
        }
    }

    @Override
    boolean streamsAnswer() {
        return outbound != null;
    }

    @Override
    void answerStream(Object publisher, Map<String, String> attachments, Runnable ended) {
        this.endAttachments = attachments;
        this.ended = ended;
        if (streamOver) {
            // Cancelled before the publisher came: nothing to stream. Finishing twice is harmless.
            ended.run();
            return;
        }
        outbound.attach(invoker.metadata().responseStreamType().toFlow(publisher));
    }

    @Override
    void onCancelled() {
        if (outbound != null) {
            outbound.cancel();
        }
        if (inbound != null) {
            inbound.onError(new RpcException(RpcErrorCode.CANCELLED, "The consumer cancelled the call"));
        }
    }

    @Override
    void onFinished() {
        if (inbound != null) {
            // The answer is out: messages the consumer still sends have nobody to read them.
            inbound.onError(new RpcException(RpcErrorCode.CANCELLED, "The call ended"));
        }
    }

    private ByteBuf endFrame(Throwable failure) {
        return sender.streamEnd(channel, request.requestId(), serializer, failure, endAttachments);
    }

    private void streamEnded() {
        streamOver = true;
        Runnable r = ended;
        if (r != null) {
            r.run();
        }
    }
}
