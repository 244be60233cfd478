package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.dispatch.MethodInvoker;
import io.courier.rpc.internal.protocol.RequestMessage;
import io.courier.rpc.serialization.DecodeBudget;
import io.courier.rpc.serialization.Serializer;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;

import java.util.Map;

/**
 * A call that came as a Courier request frame: its arguments are the frame's body, decoded by
 * the frame's serializer, and it is answered with response frames.
 *
 * <p>Same threading as {@link ServerCall}. Owns the request message and releases it as soon
 * as the arguments are decoded (or the call is refused).
 */
class BinaryServerCall extends ServerCall {

    final RequestMessage request;
    final Serializer serializer;
    final ResponseSender sender;
    private final Map<MethodInvoker, ResponseSizeHint> sizeHints;
    private final DecodeBudget decodeBudget;
    /** What the decoded arguments took of the budget; returned when the call ends. */
    private DecodeBudget.Allotment allotment;

    BinaryServerCall(Channel channel, RequestMessage request, Serializer serializer, ResponseSender sender,
            Map<MethodInvoker, ResponseSizeHint> sizeHints, long receivedNanos, DecodeBudget decodeBudget) {
        super(channel, receivedNanos);
        this.request = request;
        this.serializer = serializer;
        this.sender = sender;
        this.sizeHints = sizeHints;
        this.decodeBudget = decodeBudget;
    }

    @Override
    long requestId() {
        return request.requestId();
    }

    @Override
    boolean isOneWay() {
        return request.isOneWay();
    }

    @Override
    String serviceKey() {
        return request.serviceKey();
    }

    @Override
    String methodName() {
        return request.methodName();
    }

    @Override
    long timeoutMillis() {
        return request.timeoutMillis();
    }

    @Override
    Map<String, String> incomingAttachments() {
        return request.attachments();
    }

    @Override
    MethodInvoker resolve(InvokerTable invokers) {
        MethodInvoker invoker = invokers.lookup(request.serviceKey(), request.methodName(), request.parameterDescriptor());
        if (invoker.metadata().isStreaming()) {
            throw RpcException.refusal(RpcErrorCode.UNSUPPORTED, invoker.metadata()
                    + " streams; call it by opening a stream (this consumer does not speak protocol revision 1.2)");
        }
        return invoker;
    }

    @Override
    Object[] readArguments() {
        allotment = decodeBudget.open();
        try (DecodeBudget.Scope ignored = allotment.makeCurrent()) {
            return serializer.readArguments(invoker.metadata().wireParameterTypes(),
                    new ByteBufInputStream(request.content()));
        } finally {
            request.release();
        }
    }

    @Override
    void releaseDecoded() {
        if (allotment != null) {
            allotment.close();
        }
    }

    @Override
    void releaseBody() {
        request.release();
    }

    @Override
    void answerValue(Object value, Map<String, String> attachments) {
        sender.value(channel, request.requestId(), serializer, value, invoker.metadata().valueType(), attachments,
                sizeHints.computeIfAbsent(invoker, i -> new ResponseSizeHint()));
    }

    @Override
    void answerException(Throwable t, Map<String, String> attachments) {
        sender.exception(channel, request.requestId(), serializer, t, attachments);
    }

    @Override
    void answerError(RpcErrorCode code, String message) {
        if (request.isOneWay()) {
            return;
        }
        sender.error(channel, request.requestId(), serializer.id(), code, message);
    }
}
