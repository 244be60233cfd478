package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcException;
import io.courier.rpc.interceptor.AdmissionControl;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.dispatch.MethodInvoker;
import io.courier.rpc.internal.http.HttpCall;
import io.courier.rpc.internal.http.HttpCallDispatcher;
import io.courier.rpc.internal.protocol.CancelMessage;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.MalformedMessage;
import io.courier.rpc.internal.protocol.MessageType;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.internal.protocol.RequestMessage;
import io.courier.rpc.internal.protocol.StreamFrame;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.DecodeBudget;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.Serializers;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import io.netty.util.AttributeKey;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Principal;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Routes decoded requests to business threads and answers what can be answered without one:
 * unauthenticated or unauthorized callers, unknown services, unknown serializers, malformed
 * requests, a full executor. Authentication comes before the service lookup, so that a caller
 * without credentials cannot probe which services exist. Passes cancel
 * frames, and the connection closing, on to the calls they concern.
 *
 * <p>HTTP calls enter the same path through {@link HttpCallDispatcher}: after decoding, a
 * request frame becomes a {@link BinaryServerCall} and an HTTP call an {@link HttpServerCall},
 * and from there on one method admits both.
 *
 * <p>Thread-safe and {@link ChannelHandler.Sharable}; one instance serves every connection of a
 * server. Never blocks the event loop: lookup is a map read and the hand-off never waits.
 */
@ChannelHandler.Sharable
final class ServerDispatchHandler extends ChannelInboundHandlerAdapter implements HttpCallDispatcher {

    private static final Logger log = LoggerFactory.getLogger(ServerDispatchHandler.class);
    private static final AttributeKey<CompletableFuture<Void>> GOAWAY_ACK =
            AttributeKey.valueOf(ServerDispatchHandler.class, "goAwayAck");

    private final InvokerTable invokers;
    private final Serializers serializers;
    private final Executor executor;
    private final ResponseSender sender;
    private final FrameWriter writer;
    private final InFlightCalls inFlight;
    private final ChannelGroup channels;
    private final ProtocolWarnings warnings;
    private final AdmissionControl[] admissions;
    private final CallAuthentication authentication;
    private final DecodeBudget decodeBudget;
    private final java.util.Map<MethodInvoker, ResponseSizeHint> sizeHints = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    ServerDispatchHandler(InvokerTable invokers, Serializers serializers, Executor executor, FrameWriter writer,
            InFlightCalls inFlight, ChannelGroup channels, ProtocolWarnings warnings, List<AdmissionControl> admissions,
            DecodeBudget decodeBudget) {
        this.invokers = invokers;
        this.serializers = serializers;
        this.executor = executor;
        this.sender = new ResponseSender(writer);
        this.writer = writer;
        this.inFlight = inFlight;
        this.channels = channels;
        this.warnings = warnings;
        this.admissions = admissions.toArray(new AdmissionControl[0]);
        this.authentication = CallAuthentication.of(invokers.authenticator(), invokers.authorizer());
        this.decodeBudget = decodeBudget;
    }

    /** Returns the sender answering this server's binary calls, for the connections' response queues. */
    ResponseSender sender() {
        return sender;
    }

    /**
     * Tells every connection speaking the binary protocol that this provider is going away, so
     * that its consumers send their next calls elsewhere; calls already sent are still served.
     * Connections speaking HTTP, or that have not said yet what they speak, are not told.
     *
     * @return how many connections were told
     */
    CompletableFuture<Void> goAway() {
        List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
        for (Channel channel : channels) {
            ChannelPipeline pipeline = channel.pipeline();
            if (channel.isActive() && pipeline.get(ProtocolDetectHandler.NAME) == null && pipeline.get(getClass()) == this) {
                CompletableFuture<Void> ack = new CompletableFuture<>();
                channel.attr(GOAWAY_ACK).set(ack);
                channel.closeFuture().addListener(f -> ack.complete(null));
                // The ping's pong comes back after every call the consumer sent before it read
                // the notice: once it is here, no call of this connection is still on its way.
                channel.write(writer.goAway(channel.alloc()), channel.voidPromise());
                channel.writeAndFlush(writer.heartbeat(channel.alloc(), true, HeartbeatHandler.GOAWAY_PING_ID),
                        channel.voidPromise());
                acknowledged.add(ack);
            }
        }
        return CompletableFuture.allOf(acknowledged.toArray(new CompletableFuture<?>[0]));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == HeartbeatHandler.GOAWAY_ACKNOWLEDGED) {
            CompletableFuture<Void> ack = ctx.channel().attr(GOAWAY_ACK).get();
            if (ack != null) {
                ack.complete(null);
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /** From now on, new calls are refused with {@link RpcErrorCode#SHUTTING_DOWN}. */
    void shutDown() {
        shuttingDown = true;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.channel().attr(ActiveCalls.KEY).set(new ActiveCalls());
        channels.add(ctx.channel());
        log.debug("Accepted connection {}", ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ActiveCalls active = ctx.channel().attr(ActiveCalls.KEY).get();
        if (active != null) {
            // Nobody is left to read the answers.
            active.cancelAll();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RequestMessage request) {
            dispatch(ctx.channel(), request);
        } else if (msg instanceof StreamFrame frame) {
            onStreamFrame(ctx, frame);
        } else if (msg instanceof CancelMessage cancel) {
            ActiveCalls active = ctx.channel().attr(ActiveCalls.KEY).get();
            if (active != null) {
                active.cancel(cancel.requestId());
            }
        } else if (msg instanceof MalformedMessage malformed) {
            warnings.warn(ctx.channel().remoteAddress(), malformed.reason());
            if (malformed.type() == MessageType.REQUEST) {
                sender.error(ctx.channel(), malformed.requestId(), (byte) 0, RpcErrorCode.BAD_REQUEST,
                        malformed.reason());
            }
        } else {
            ReferenceCountUtil.release(msg);
            warnings.warn(ctx.channel().remoteAddress(), "unexpected " + msg.getClass().getSimpleName());
        }
    }

    private void onStreamFrame(ChannelHandlerContext ctx, StreamFrame frame) {
        ActiveCalls active = ctx.channel().attr(ActiveCalls.KEY).get();
        ServerCall call = active == null ? null : active.get(frame.requestId());
        if (call instanceof StreamServerCall stream) {
            stream.onStreamFrame(frame);
            return;
        }
        // The call already ended (answered, cancelled, refused): what the consumer still sends is moot.
        log.debug("Dropping {} for no open stream on {}", frame, ctx.channel());
        frame.release();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        ActiveCalls active = ctx.channel().attr(ActiveCalls.KEY).get();
        if (active != null) {
            active.writabilityChanged();
        }
        super.channelWritabilityChanged(ctx);
    }

    private void dispatch(Channel channel, RequestMessage request) {
        long receivedNanos = System.nanoTime();
        Serializer serializer = serializers.byId(request.serializationId());
        if (serializer == null) {
            try {
                answer(channel, request, RpcErrorCode.SERIALIZATION, "Unknown serialization id "
                        + request.serializationId());
            } finally {
                request.release();
            }
            return;
        }
        dispatch(channel, request.isStream()
                ? new StreamServerCall(channel, request, serializer, sender, sizeHints, receivedNanos, decodeBudget,
                        writer, executor, StreamInbound.DEFAULT_WINDOW)
                : new BinaryServerCall(channel, request, serializer, sender, sizeHints, receivedNanos, decodeBudget));
    }

    /** The HTTP handler's entry into the same path; see {@link HttpCallDispatcher}. */
    @Override
    public void dispatch(Channel channel, HttpCall call) {
        dispatch(channel, new HttpServerCall(channel, call, System.nanoTime()));
    }

    @Override
    public boolean isServing() {
        return !shuttingDown;
    }

    /**
     * The path every call takes after its protocol decoded it: refuse when shutting down,
     * authenticate, resolve the method, authorize, admit, hand off. Answers each refusal
     * through the call, so each protocol answers in its own form.
     */
    private void dispatch(Channel channel, ServerCall call) {
        boolean handedOff = false;
        try {
            if (shuttingDown) {
                refuse(channel, call, RpcException.refusal(RpcErrorCode.SHUTTING_DOWN, "Provider is shutting down"));
                return;
            }
            Principal principal = null;
            MethodInvoker invoker;
            try {
                if (authentication != null) {
                    principal = authentication.authenticate(channel, call.serviceKey(), call.methodName(),
                            call.incomingAttachments());
                }
                invoker = call.resolve(invokers);
                if (authentication != null) {
                    authentication.authorize(principal, invoker.metadata());
                }
            } catch (RpcException e) {
                if (e.code() == RpcErrorCode.UNAUTHENTICATED || e.code() == RpcErrorCode.PERMISSION_DENIED) {
                    log.debug("Refused request {} {}#{} from {} on {}: {} {}", call.requestId(),
                            call.serviceKey(), call.methodName(), channel.remoteAddress(), channel, e.code(),
                            e.getMessage());
                }
                refuse(channel, call, e);
                return;
            }
            int admitted = 0;
            for (; admitted < admissions.length; admitted++) {
                RpcException refused = admissions[admitted].tryAdmit(invoker.metadata());
                if (refused != null) {
                    release(admitted, invoker);
                    refuse(channel, call, refused);
                    return;
                }
            }
            inFlight.begin();
            ActiveCalls active = call.isOneWay() ? null : channel.attr(ActiveCalls.KEY).get();
            call.admit(invoker, principal, CallAuthentication.withoutCredentials(call.incomingAttachments()),
                    inFlight, admissions, active);
            if (active != null) {
                active.add(call.requestId(), call);
            }
            inFlight.enqueue();
            try {
                executor.execute(call);
                handedOff = true;
            } catch (RejectedExecutionException e) {
                inFlight.dequeue();
                if (active != null) {
                    active.remove(call.requestId(), call);
                }
                inFlight.end();
                release(admitted, invoker);
                refuse(channel, call, RpcException.refusal(RpcErrorCode.SERVER_BUSY,
                        "Provider's business executor is full"));
            }
        } finally {
            if (!handedOff) {
                call.releaseBody();
            }
        }
    }

    private void refuse(Channel channel, ServerCall call, RpcException refusal) {
        if (call.isOneWay()) {
            log.debug("Dropping one-way call {}#{} from {}: {}", call.serviceKey(), call.methodName(),
                    channel.remoteAddress(), refusal.getMessage());
            return;
        }
        call.answerRefusal(refusal);
    }

    private void release(int admitted, MethodInvoker invoker) {
        for (int i = admitted - 1; i >= 0; i--) {
            admissions[i].onComplete(invoker.metadata());
        }
    }

    private void answer(Channel channel, RequestMessage request, RpcErrorCode code, String message) {
        if (request.isOneWay()) {
            log.debug("Dropping one-way call {}#{} from {}: {}", request.serviceKey(), request.methodName(),
                    channel.remoteAddress(), message);
            return;
        }
        sender.error(channel, request.requestId(), request.serializationId(), code, message);
    }
}
