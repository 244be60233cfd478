package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.GoAwayMessage;
import io.courier.rpc.internal.protocol.MalformedMessage;
import io.courier.rpc.internal.protocol.MessageType;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.internal.protocol.ResponseMessage;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.courier.rpc.internal.protocol.StreamFrame;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer end of one connection: writes requests, and hands each response to the call it
 * answers, decoded on the call's completion executor when the body is large.
 *
 * <p>A call carrying credentials (the reserved {@link RpcContext#AUTHORIZATION_ATTACHMENT}) is
 * sent only when the channel has an {@link SslHandler}, unless insecure credentials are
 * allowed; otherwise it fails with {@link RpcErrorCode#UNAUTHENTICATED} before anything is written.
 *
 * <p>One instance per channel (it owns that channel's {@link PendingCalls}); {@link #send} is
 * thread-safe and may be called from any thread. Heartbeats and idle detection happen before it
 * in the pipeline.
 */
final class ClientCallHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(ClientCallHandler.class);
    /**
     * Response bodies at least this large are decoded on the call's completion executor rather
     * than on the event loop: a big body then never holds up the other responses on the
     * connection, and the completion runs there anyway.
     */
    static final int OFFLOAD_BODY_BYTES = 2048;

    private final AtomicLong ids = new AtomicLong();
    private final FrameWriter writer;
    private final Serializer serializer;
    private final ResponseReader reader;
    private final Timer timer;
    private final int maxPendingCalls;
    private final ProtocolWarnings warnings;
    private final boolean allowInsecureCredentials;
    private volatile Channel channel;
    private volatile PendingCalls pending;
    private volatile boolean goingAway;
    private final Map<Long, ClientStream> streams = new ConcurrentHashMap<>();

    ClientCallHandler(FrameWriter writer, Serializer serializer, Timer timer, int maxPendingCalls,
            ProtocolWarnings warnings) {
        this(writer, serializer, timer, maxPendingCalls, warnings, false);
    }

    /**
     * @param allowInsecureCredentials whether calls carrying credentials may be sent over this
     *        connection when it has no TLS
     */
    ClientCallHandler(FrameWriter writer, Serializer serializer, Timer timer, int maxPendingCalls,
            ProtocolWarnings warnings, boolean allowInsecureCredentials) {
        this.allowInsecureCredentials = allowInsecureCredentials;
        this.writer = writer;
        this.serializer = serializer;
        this.reader = new ResponseReader(serializer);
        this.timer = timer;
        this.maxPendingCalls = maxPendingCalls;
        this.warnings = warnings;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        pending = new PendingCalls(channel, writer, timer, maxPendingCalls);
    }

    /** Returns the number of calls awaiting a response, and streams open, on this connection. */
    int pendingCount() {
        PendingCalls p = pending;
        // Open streams count too: a connection closing when idle lets them end first.
        return (p == null ? 0 : p.size()) + streams.size();
    }

    /** Sends a call; the future completes with the response or an {@link RpcException}. */
    CompletableFuture<RpcResponse> send(RpcRequest request) {
        Channel ch = channel;
        MethodMetadata method = request.method();
        if (request.isCancelled()) {
            return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.CANCELLED,
                    "Call " + method + " was cancelled before it was sent"));
        }
        if (!allowInsecureCredentials && request.attachments().containsKey(RpcContext.AUTHORIZATION_ATTACHMENT)
                && ch.pipeline().get(SslHandler.class) == null) {
            return CompletableFuture.failedFuture(RpcException.refusal(RpcErrorCode.UNAUTHENTICATED,
                    "Refusing to send credentials for " + method + " to " + ch.remoteAddress()
                    + " over a connection without TLS: enable TLS for this client, or, only where plaintext is "
                    + "acceptable, allow it with ClientOptions.Builder.allowInsecureCredentials(true) "
                    + "(courier.rpc.consumer.allow-insecure-credentials=true)"));
        }
        if (goingAway) {
            // Retry-safe: the cluster sends it to another provider without spending a retry.
            return CompletableFuture.failedFuture(RpcException.refusal(RpcErrorCode.SHUTTING_DOWN,
                    "Provider " + ch.remoteAddress() + " is going away; not sending " + method + " there"));
        }
        if (!ch.isWritable()) {
            return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.NOT_SENT,
                    "Connection " + ch.remoteAddress() + " is congested (outbound buffer above its high water mark)"));
        }
        if (pending.isFull() || pending.size() + streams.size() >= maxPendingCalls) {
            return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.NOT_SENT,
                    "Connection " + ch.remoteAddress() + " has " + maxPendingCalls + " calls pending"));
        }
        long id = ids.incrementAndGet();
        if (method.isStreaming()) {
            return openStream(ch, id, request);
        }
        ByteBuf frame;
        try {
            frame = writer.request(ch.alloc(), id, method.isOneWay(), serializer.id(), method.serviceKey(),
                    method.name(), method.parameterDescriptor(), request.timeoutMillis(), request.attachments(),
                    out -> serializer.writeArguments(request.arguments(), method.parameterTypes(), out));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (method.isOneWay()) {
            CompletableFuture<RpcResponse> future = new CompletableFuture<>();
            ch.writeAndFlush(frame).addListener(f -> {
                if (f.isSuccess()) {
                    future.complete(RpcResponse.empty());
                } else {
                    future.completeExceptionally(PendingCalls.notSent(ch, f.cause()));
                }
            });
            return future;
        }
        PendingCall call = pending.add(id, request);
        // The listener is on the promise before the write starts, so it hears the write complete before the
        // event loop can see the connection close: a written call is never reported as not sent.
        ch.writeAndFlush(frame, ch.newPromise().addListener(call));
        // Armed after the write is queued: a cancel frame written from now on follows the request.
        pending.arm(call);
        return call.future;
    }

    /**
     * Opens a stream: writes the request frame with the stream flag and the call's other
     * arguments, then streams the streamed argument, if any, as the provider grants credit. When
     * the result streams, the returned future completes at once with a {@link java.util.concurrent.Flow.Publisher}
     * of it (failures after this point reach its subscriber); otherwise it completes with the
     * provider's single answer.
     */
    private CompletableFuture<RpcResponse> openStream(Channel ch, long id, RpcRequest request) {
        MethodMetadata method = request.method();
        Object[] arguments = request.arguments();
        int streamIndex = method.requestStreamIndex();
        Flow.Publisher<?> upstream = null;
        if (streamIndex >= 0) {
            arguments = arguments.clone();
            upstream = method.requestStreamType().toFlow(arguments[streamIndex]);
            arguments[streamIndex] = null;
            if (upstream == null) {
                return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.BAD_REQUEST,
                        "The streamed argument of " + method + " is null"));
            }
        }
        Object[] wireArguments = arguments;
        ByteBuf frame;
        try {
            frame = writer.request(ch.alloc(), id, RpcFrame.FLAG_STREAM, serializer.id(), method.serviceKey(),
                    method.name(), method.parameterDescriptor(), request.timeoutMillis(), request.attachments(),
                    out -> serializer.writeArguments(wireArguments, method.wireParameterTypes(), out));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Executor executor = request.completionExecutor() != null ? request.completionExecutor() : ch.eventLoop();
        StreamInbound inbound = method.isResponseStreaming()
                ? new StreamInbound(ch, writer, id, serializer, method.valueType(), executor, StreamInbound.DEFAULT_WINDOW,
                        () -> cancelStream(id))
                : null;
        ClientStream stream = new ClientStream(id, inbound);
        if (upstream != null) {
            stream.outbound = new StreamOutbound(ch, writer, id, serializer, method.requestElementType(), executor,
                    failure -> {
                        if (failure == null) {
                            return writer.halfClose(ch.alloc(), id);
                        }
                        // The caller's own stream failed: give up the call.
                        failStream(id, new RpcException(RpcErrorCode.CANCELLED, "The streamed argument of " + method
                                + " failed: " + failure, failure));
                        return writer.cancel(ch.alloc(), id);
                    }, () -> { });
        }
        CompletableFuture<RpcResponse> result;
        streams.put(id, stream);
        if (inbound != null) {
            ch.writeAndFlush(frame).addListener(write -> {
                if (!write.isSuccess()) {
                    failStream(id, PendingCalls.notSent(ch, write.cause()));
                }
            });
            if (request.timeoutMillis() > 0) {
                stream.deadline = timer.newTimeout(t -> expireStream(id, request), request.timeoutMillis(),
                        TimeUnit.MILLISECONDS);
            }
            result = CompletableFuture.completedFuture(RpcResponse.ofValue(inbound, null));
        } else {
            PendingCall call = pending.add(id, request);
            ch.writeAndFlush(frame, ch.newPromise().addListener(call));
            pending.arm(call);
            call.future.whenComplete((response, failure) -> {
                ClientStream ended = streams.remove(id);
                if (ended != null && ended.outbound != null) {
                    ended.outbound.cancel();
                }
            });
            result = call.future;
        }
        if (stream.outbound != null) {
            stream.outbound.attach(upstream);
        }
        return result;
    }

    /** The subscriber of a streamed result cancelled: tell the provider, stop sending. */
    private void cancelStream(long id) {
        ClientStream stream = streams.remove(id);
        if (stream != null) {
            stream.stopTimer();
            if (stream.outbound != null) {
                stream.outbound.cancel();
            }
            pending.sendCancel(id);
        }
        PendingCall call = pending.remove(id);
        if (call != null) {
            call.fail(RpcException.unanswered(RpcErrorCode.CANCELLED, "Call " + call.request.method()
                    + " was cancelled by the caller", null));
        }
    }

    private void failStream(long id, RpcException failure) {
        ClientStream stream = streams.remove(id);
        if (stream != null) {
            stream.fail(failure);
        }
        PendingCall call = pending.remove(id);
        if (call != null) {
            call.fail(failure);
        }
    }

    private void expireStream(long id, RpcRequest request) {
        ClientStream stream = streams.get(id);
        if (stream == null) {
            return;
        }
        pending.sendCancel(id);
        failStream(id, RpcException.unanswered(RpcErrorCode.TIMEOUT, "Stream " + request.method() + " to "
                + channel.remoteAddress() + " passed its deadline of " + request.timeoutMillis() + " ms after "
                + (stream.inbound == null ? 0 : stream.inbound.received()) + " messages", null));
    }

    private void onStreamFrame(StreamFrame frame) {
        ClientStream stream = streams.get(frame.requestId());
        if (stream != null && stream.inbound != null && frame.type() == MessageType.STREAM_MESSAGE) {
            // The body now belongs to the stream.
            stream.inbound.onMessage(frame.content());
            return;
        }
        try {
            if (stream == null) {
                // Cancelled or ended on this side: late frames are moot.
                return;
            }
            switch (frame.type()) {
                case STREAM_MESSAGE -> {
                    // A single answer comes in a response frame, not as messages.
                }
                case STREAM_CREDIT -> {
                    if (stream.outbound != null) {
                        stream.outbound.addCredit(frame.credit());
                    }
                }
                default -> warnings.warn(channel.remoteAddress(), "unexpected " + frame.type() + " from a provider");
            }
        } finally {
            frame.release();
        }
    }

    /** A response frame ended a stream whose result streams. */
    private void endStream(ClientStream stream, ResponseMessage response) {
        stream.stopTimer();
        if (stream.outbound != null) {
            stream.outbound.cancel();
        }
        if (response.status() == RpcErrorCode.OK) {
            stream.inbound.onComplete();
            return;
        }
        Throwable failure;
        try {
            RpcResponse outcome = reader.read(response, Object.class);
            failure = outcome.hasException() ? outcome.exception() : new RpcException(RpcErrorCode.INTERNAL,
                    "Stream ended with status " + response.status() + " and a value");
        } catch (RpcException e) {
            failure = e;
        }
        stream.inbound.onEnd(failure);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        for (ClientStream stream : streams.values()) {
            if (stream.outbound != null) {
                stream.outbound.writabilityChanged();
            }
        }
        super.channelWritabilityChanged(ctx);
    }

    /**
     * Refuses, on the event loop, a request written after the provider's going-away notice was
     * read: a caller that checked just before the notice arrived cannot slip its call in after
     * the provider's acknowledgement ping, when the provider no longer expects calls. The call
     * fails as SHUTTING_DOWN, which is retry safe, and is sent elsewhere.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (goingAway && msg instanceof ByteBuf frame && frame.readableBytes() > RpcFrame.FIXED_HEADER_LENGTH
                && frame.getByte(frame.readerIndex() + 3) == MessageType.REQUEST.value()) {
            frame.release();
            promise.setFailure(RpcException.refusal(RpcErrorCode.SHUTTING_DOWN, "Provider " + ctx.channel().remoteAddress()
                    + " is going away; the request was not sent"));
            return;
        }
        super.write(ctx, msg, promise);
    }

    /** Whether the provider said it is going away: no new calls go on this connection. */
    boolean isGoingAway() {
        return goingAway;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof GoAwayMessage) {
            if (!goingAway) {
                goingAway = true;
                log.info("Provider {} is going away: no new calls on {}; {} calls in flight finish there",
                        ctx.channel().remoteAddress(), ctx.channel(), pending.size());
            }
            return;
        }
        if (msg instanceof StreamFrame frame) {
            onStreamFrame(frame);
        } else if (msg instanceof ResponseMessage response) {
            try {
                onResponse(response);
            } finally {
                response.release();
            }
        } else if (msg instanceof MalformedMessage malformed) {
            warnings.warn(ctx.channel().remoteAddress(), malformed.reason());
            PendingCall call = pending.remove(malformed.requestId());
            if (call != null) {
                call.fail(new RpcException(RpcErrorCode.BAD_REQUEST,
                        "Malformed response from " + ctx.channel().remoteAddress() + ": " + malformed.reason()));
            }
        } else {
            ReferenceCountUtil.release(msg);
            warnings.warn(ctx.channel().remoteAddress(), "unexpected " + msg.getClass().getSimpleName());
        }
    }

    private void onResponse(ResponseMessage response) {
        if (!streams.isEmpty()) {
            ClientStream stream = streams.get(response.requestId());
            if (stream != null && stream.inbound != null) {
                streams.remove(response.requestId());
                endStream(stream, response);
                return;
            }
        }
        PendingCall call = pending.remove(response.requestId());
        if (call == null) {
            // Timed out or cancelled before the answer came: the caller already has its outcome.
            log.debug("Dropping late response {} from {}", response.requestId(), channel.remoteAddress());
            return;
        }
        Executor executor = call.request.completionExecutor();
        RpcResponse outcome;
        try {
            if (executor != null && reader.isLargeValue(response, OFFLOAD_BODY_BYTES)) {
                decodeOn(executor, call, response);
                return;
            }
            outcome = reader.read(response, call.request.method().valueType());
        } catch (RpcException e) {
            call.fail(e);
            return;
        }
        call.complete(outcome);
    }

    /** Decodes a large body where the call completes, so the event loop moves on to the next response. */
    private void decodeOn(Executor executor, PendingCall call, ResponseMessage response) {
        ByteBuf body = response.content().retain();
        Map<String, String> attachments = response.attachments();
        PendingCall.deliver(executor, () -> {
            try {
                call.future.complete(RpcResponse.ofValue(reader.readValue(body, call.request.method().valueType()),
                        attachments));
            } catch (RpcException e) {
                call.future.completeExceptionally(e);
            } finally {
                body.release();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        pending.failAll();
        for (Long id : streams.keySet()) {
            ClientStream stream = streams.remove(id);
            if (stream != null) {
                stream.fail(RpcException.unanswered(RpcErrorCode.OUTCOME_UNKNOWN, "Connection to "
                        + ctx.channel().remoteAddress() + " closed in the middle of the stream, after "
                        + (stream.inbound == null ? 0 : stream.inbound.received()) + " messages", null));
            }
        }
        super.channelInactive(ctx);
    }
}
