package io.courier.rpc.transport;

import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.ReturnKind;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.protocol.FrameWriter;
import io.courier.rpc.protocol.HeartbeatMessage;
import io.courier.rpc.protocol.MalformedMessage;
import io.courier.rpc.protocol.ProtocolWarnings;
import io.courier.rpc.protocol.ResponseMessage;
import io.courier.rpc.protocol.RpcErrorCode;
import io.courier.rpc.serialization.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer end of one connection: writes requests, matches responses to pending calls by
 * request id, times calls out, fails them all when the connection drops, and keeps the
 * connection alive with heartbeats.
 *
 * <p>One instance per channel (it owns that channel's pending calls); {@link #send} is
 * thread-safe and may be called from any thread.
 */
final class ClientChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClientChannelHandler.class);
    /**
     * Response bodies at least this large are decoded on the decode executor rather than on the
     * event loop when the caller takes the result as a future: a big body then never holds up the
     * other responses on the connection, and the completion that follows runs there anyway.
     */
    static final int OFFLOAD_BODY_BYTES = 2048;

    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
    /** Reused for every body read on this connection's event loop. */
    private final BodyInputStream bodies = new BodyInputStream();
    private final AtomicLong ids = new AtomicLong();
    private final FrameWriter writer;
    private final Serializer serializer;
    private final Timer timer;
    private final int maxPendingCalls;
    private final ProtocolWarnings warnings;
    private final Executor decodeExecutor;
    private volatile Channel channel;

    /** @param decodeExecutor where large bodies for asynchronous callers are decoded; null decodes all on the event loop */
    ClientChannelHandler(FrameWriter writer, Serializer serializer, Timer timer, int maxPendingCalls,
            ProtocolWarnings warnings, Executor decodeExecutor) {
        this.decodeExecutor = decodeExecutor;
        this.writer = writer;
        this.serializer = serializer;
        this.timer = timer;
        this.maxPendingCalls = maxPendingCalls;
        this.warnings = warnings;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** Returns the number of calls awaiting a response on this connection. */
    int pendingCount() {
        return pending.size();
    }

    /** Sends a call; the future completes with the response or an {@link RpcException}. */
    CompletableFuture<RpcResponse> send(RpcRequest request) {
        Channel ch = channel;
        CompletableFuture<RpcResponse> future = new CompletableFuture<>();
        MethodMetadata method = request.method();
        if (!ch.isWritable()) {
            future.completeExceptionally(new RpcException(RpcErrorCode.NOT_SENT,
                    "Connection " + ch.remoteAddress() + " is congested (outbound buffer above its high water mark)"));
            return future;
        }
        if (pending.size() >= maxPendingCalls) {
            future.completeExceptionally(new RpcException(RpcErrorCode.NOT_SENT,
                    "Connection " + ch.remoteAddress() + " has " + maxPendingCalls + " calls pending"));
            return future;
        }
        long id = ids.incrementAndGet();
        ByteBuf frame;
        try {
            frame = writer.request(ch.alloc(), id, method.isOneWay(), serializer.id(), method.serviceKey(),
                    method.name(), method.parameterDescriptor(), request.timeoutMillis(), request.attachments(),
                    out -> serializer.writeArguments(request.arguments(), method.parameterTypes(), out));
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
            return future;
        }
        if (method.isOneWay()) {
            ch.writeAndFlush(frame).addListener(f -> {
                if (f.isSuccess()) {
                    future.complete(RpcResponse.empty());
                } else {
                    future.completeExceptionally(notSent(f.cause()));
                }
            });
            return future;
        }
        PendingCall call = new PendingCall(future, method.valueType(), method.returnKind() == ReturnKind.FUTURE);
        pending.put(id, call);
        call.timeout = timer.newTimeout(t -> {
            if (pending.remove(id, call)) {
                call.future.completeExceptionally(new RpcException(RpcErrorCode.TIMEOUT,
                        "Call " + method + " to " + ch.remoteAddress() + " timed out after "
                                + request.timeoutMillis() + " ms"));
            }
        }, request.timeoutMillis(), TimeUnit.MILLISECONDS);
        ch.writeAndFlush(frame).addListener(f -> {
            if (!f.isSuccess() && pending.remove(id, call)) {
                call.cancelTimeout();
                call.future.completeExceptionally(notSent(f.cause()));
            }
        });
        return future;
    }

    private RpcException notSent(Throwable cause) {
        return new RpcException(RpcErrorCode.NOT_SENT, "Request could not be written to " + channel.remoteAddress()
                + ": " + cause, cause);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ResponseMessage response) {
            try {
                complete(response);
            } finally {
                response.release();
            }
        } else if (msg instanceof HeartbeatMessage heartbeat) {
            if (heartbeat.ping()) {
                ctx.writeAndFlush(writer.heartbeat(ctx.alloc(), false, heartbeat.id()), ctx.voidPromise());
            }
        } else if (msg instanceof MalformedMessage malformed) {
            warnings.warn(ctx.channel().remoteAddress(), malformed.reason());
            PendingCall call = pending.remove(malformed.requestId());
            if (call != null) {
                call.cancelTimeout();
                call.future.completeExceptionally(new RpcException(RpcErrorCode.BAD_REQUEST,
                        "Malformed response from " + ctx.channel().remoteAddress() + ": " + malformed.reason()));
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void complete(ResponseMessage response) {
        PendingCall call = pending.remove(response.requestId());
        if (call == null) {
            // Timed out or cancelled before the answer came: the caller already has its outcome.
            log.debug("Dropping late response {} from {}", response.requestId(), channel.remoteAddress());
            return;
        }
        call.cancelTimeout();
        RpcErrorCode status = response.status();
        try {
            if (status == RpcErrorCode.OK) {
                boolean hasBody = readBody(response);
                if (hasBody && shouldOffload(call, response.content()) && offload(call, response)) {
                    return;
                }
                Object value = hasBody ? readValue(call, response.content(), bodies) : null;
                call.future.complete(RpcResponse.ofValue(value, response.attachments()));
            } else if (status == RpcErrorCode.APPLICATION_ERROR) {
                call.future.complete(RpcResponse.ofException(remoteException(response), response.attachments()));
            } else {
                call.future.completeExceptionally(new RpcException(status, response.errorMessage()));
            }
        } catch (RuntimeException e) {
            failDecoding(call, e);
        }
    }

    private boolean shouldOffload(PendingCall call, ByteBuf body) {
        return decodeExecutor != null && call.asyncCaller && body.readableBytes() >= OFFLOAD_BODY_BYTES;
    }

    /** Hands the body to the decode executor; false (body untouched) when the executor refuses it. */
    private boolean offload(PendingCall call, ResponseMessage response) {
        ByteBuf body = response.content().retain();
        Map<String, String> attachments = response.attachments();
        try {
            decodeExecutor.execute(() -> {
                try {
                    call.future.complete(RpcResponse.ofValue(readValue(call, body, new BodyInputStream()), attachments));
                } catch (RuntimeException e) {
                    failDecoding(call, e);
                } finally {
                    body.release();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            body.release();
            return false;
        }
    }

    private static void failDecoding(PendingCall call, RuntimeException e) {
        call.future.completeExceptionally(e instanceof RpcException ? e
                : new RpcException(RpcErrorCode.SERIALIZATION, "Cannot decode the response: " + e, e));
    }

    private Object readValue(PendingCall call, ByteBuf body, BodyInputStream streams) {
        try (BodyInputStream in = streams.open(body)) {
            return serializer.readValue(call.valueType, in);
        }
    }

    private boolean readBody(ResponseMessage response) {
        if (response.serializationId() != serializer.id() && response.content().isReadable()) {
            throw new RpcException(RpcErrorCode.SERIALIZATION, "Response uses serialization id "
                    + response.serializationId() + ", expected " + serializer.id());
        }
        return response.content().isReadable();
    }

    private Throwable remoteException(ResponseMessage response) {
        String className = response.errorClass();
        if (response.content().isReadable() && response.serializationId() == serializer.id()) {
            try {
                Throwable t;
                try (BodyInputStream in = bodies.open(response.content())) {
                    t = serializer.readException(in);
                }
                if (t != null) {
                    return t;
                }
            } catch (RuntimeException e) {
                log.debug("Cannot re-create remote {}: {}", className, e.getMessage());
            }
        }
        return new RpcException(RpcErrorCode.APPLICATION_ERROR,
                className + (response.errorMessage().isEmpty() ? "" : ": " + response.errorMessage()), null, className);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        failAll(new RpcException(RpcErrorCode.CONNECTION_LOST, "Connection to " + ctx.channel().remoteAddress()
                + " closed while the call was in flight"));
        super.channelInactive(ctx);
    }

    private void failAll(RpcException cause) {
        for (Long id : pending.keySet()) {
            PendingCall call = pending.remove(id);
            if (call != null) {
                call.cancelTimeout();
                call.future.completeExceptionally(cause);
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                log.warn("No answer from {} for three heartbeat intervals; closing the connection",
                        ctx.channel().remoteAddress());
                ctx.close();
            } else {
                ctx.writeAndFlush(writer.heartbeat(ctx.alloc(), true, 0), ctx.voidPromise());
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("Connection {} failed: {}", ctx.channel(), cause.toString());
        } else {
            log.warn("Closing connection {} after an unexpected error", ctx.channel(), cause);
        }
        ctx.close();
    }
}
