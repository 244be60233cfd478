package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.MalformedMessage;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.internal.protocol.ResponseMessage;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
final class ClientCallHandler extends ChannelInboundHandlerAdapter {

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

    /** Returns the number of calls awaiting a response on this connection. */
    int pendingCount() {
        PendingCalls p = pending;
        return p == null ? 0 : p.size();
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
        if (!ch.isWritable()) {
            return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.NOT_SENT,
                    "Connection " + ch.remoteAddress() + " is congested (outbound buffer above its high water mark)"));
        }
        if (pending.isFull()) {
            return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.NOT_SENT,
                    "Connection " + ch.remoteAddress() + " has " + maxPendingCalls + " calls pending"));
        }
        long id = ids.incrementAndGet();
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

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ResponseMessage response) {
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
        super.channelInactive(ctx);
    }
}
