package io.courier.rpc.internal.http;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.dispatch.MethodInvoker;

import java.util.Map;

/**
 * One HTTP call, as the server's shared call path sees it: what it names, how its JSON body
 * binds, how it is answered. Public only because the transport, the layer above, runs it;
 * applications must not depend on it.
 *
 * <p>{@link #bind} runs on the event loop, the answers on any thread, each at most once.
 */
public interface HttpCall {

    /** Returns a number unique on the connection, under which a close cancels the call. */
    long requestId();

    /** Returns the service key from the path. */
    String serviceKey();

    /** Returns the method name from the path. */
    String methodName();

    /** Returns the time budget from {@code Courier-Timeout} in milliseconds, 0 for none. */
    long timeoutMillis();

    /** Returns the attachments from the headers, the {@code Authorization} header among them. */
    Map<String, String> attachments();

    /**
     * Chooses the overload and decodes the JSON arguments; called after authentication.
     *
     * @throws RpcException {@code SERVICE_NOT_FOUND}, {@code METHOD_NOT_FOUND}, or a
     *     {@link JsonCallException} when the body does not fit
     */
    MethodInvoker bind(InvokerTable invokers);

    /** Returns the arguments {@link #bind} decoded. */
    Object[] arguments();

    /** Answers 200 with the value as JSON, or 204 for a method that returns nothing. */
    void answerValue(Object value, Map<String, String> attachments);

    /** Answers a business exception: 500 with a problem body naming its type. */
    void answerException(Throwable exception, Map<String, String> attachments);

    /** Answers a framework error with its mapped status. */
    void answerError(RpcErrorCode code, String message);

    /** Answers a refusal before the call ran, keeping what a {@link JsonCallException} carries. */
    void answerRefusal(RpcException refusal);

    /** Whether the bound method's result streams: then {@link #answerStream} answers, not {@link #answerValue}. */
    boolean streams();

    /**
     * Streams a result as NDJSON, or as server-sent events when the caller asked for
     * {@code text/event-stream}; runs {@code ended} once when the stream is over, whichever way.
     */
    void answerStream(java.util.concurrent.Flow.Publisher<Object> publisher, Map<String, String> attachments,
            Runnable ended);

    /** The call was cancelled (its connection closed): stop a stream in progress. */
    void cancelStream();
}
