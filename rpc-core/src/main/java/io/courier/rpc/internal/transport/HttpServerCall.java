package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.dispatch.MethodInvoker;
import io.courier.rpc.internal.http.HttpCall;
import io.netty.channel.Channel;

import java.util.Map;

/**
 * A call that came as an HTTP request: the HTTP handler bound its JSON body on the event loop
 * and writes its answer; everything between is the shared {@link ServerCall} path.
 *
 * <p>Same threading as {@link ServerCall}.
 */
final class HttpServerCall extends ServerCall {

    private final HttpCall call;

    HttpServerCall(Channel channel, HttpCall call, long receivedNanos) {
        super(channel, receivedNanos);
        this.call = call;
    }

    @Override
    long requestId() {
        return call.requestId();
    }

    @Override
    boolean isOneWay() {
        return false;
    }

    @Override
    String serviceKey() {
        return call.serviceKey();
    }

    @Override
    String methodName() {
        return call.methodName();
    }

    @Override
    long timeoutMillis() {
        return call.timeoutMillis();
    }

    @Override
    Map<String, String> incomingAttachments() {
        return call.attachments();
    }

    @Override
    MethodInvoker resolve(InvokerTable invokers) {
        return call.bind(invokers);
    }

    @Override
    Object[] readArguments() {
        return call.arguments();
    }

    @Override
    void releaseBody() {
        // The body was read into arguments on the event loop; nothing is held.
    }

    @Override
    void answerValue(Object value, Map<String, String> attachments) {
        call.answerValue(value, attachments);
    }

    @Override
    void answerException(Throwable t, Map<String, String> attachments) {
        call.answerException(t, attachments);
    }

    @Override
    void answerError(RpcErrorCode code, String message) {
        call.answerError(code, message);
    }

    @Override
    void answerRefusal(RpcException e) {
        call.answerRefusal(e);
    }

    @Override
    boolean streamsAnswer() {
        return call.streams();
    }

    @Override
    void answerStream(Object publisher, Map<String, String> attachments, Runnable ended) {
        call.answerStream(invoker.metadata().responseStreamType().toFlow(publisher), attachments, ended);
    }

    @Override
    void onCancelled() {
        call.cancelStream();
    }
}
