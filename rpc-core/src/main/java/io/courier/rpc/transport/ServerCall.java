package io.courier.rpc.transport;

import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.MethodInvoker;
import io.courier.rpc.invoke.ReturnKind;
import io.courier.rpc.protocol.RequestMessage;
import io.courier.rpc.protocol.RpcErrorCode;
import io.courier.rpc.serialization.Serializer;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * One accepted call, run on a business thread: decode the arguments, invoke the method, answer.
 *
 * <p>Not thread-safe; each instance runs once. Owns the request message and releases it as
 * soon as the arguments are decoded.
 */
final class ServerCall implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ServerCall.class);

    private final Channel channel;
    private final RequestMessage request;
    private final MethodInvoker invoker;
    private final Serializer serializer;
    private final ResponseSender sender;
    private final InFlightCalls inFlight;
    private final long deadlineNanos;
    private final Type valueType;

    ServerCall(Channel channel, RequestMessage request, MethodInvoker invoker, Serializer serializer,
            ResponseSender sender, InFlightCalls inFlight, long receivedNanos) {
        this.channel = channel;
        this.request = request;
        this.invoker = invoker;
        this.serializer = serializer;
        this.sender = sender;
        this.inFlight = inFlight;
        this.deadlineNanos = request.timeoutMillis() > 0 ? receivedNanos + request.timeoutMillis() * 1_000_000 : 0;
        this.valueType = ReturnKind.valueType(invoker.method());
    }

    @Override
    public void run() {
        boolean async = false;
        try {
            Object[] arguments;
            try {
                if (deadlineNanos != 0 && System.nanoTime() - deadlineNanos >= 0) {
                    fail(RpcErrorCode.DEADLINE_EXCEEDED, "Deadline of " + request.timeoutMillis()
                            + " ms passed before the call started");
                    return;
                }
                arguments = serializer.readArguments(invoker.parameterTypes(), new ByteBufInputStream(request.content()));
            } catch (RpcException e) {
                fail(e.code(), e.getMessage());
                return;
            } catch (RuntimeException e) {
                fail(RpcErrorCode.SERIALIZATION, "Cannot decode arguments: " + e);
                return;
            } finally {
                request.release();
            }
            Object result;
            try {
                result = invoker.invoke(arguments);
            } catch (Throwable t) {
                answerException(t);
                return;
            }
            if (invoker.returnKind() == ReturnKind.FUTURE) {
                if (result == null) {
                    fail(RpcErrorCode.INTERNAL, invoker.method().getName() + " returned a null future");
                    return;
                }
                async = true;
                ((CompletionStage<?>) result).whenComplete((value, error) -> {
                    try {
                        if (error != null) {
                            answerException(unwrap(error));
                        } else {
                            answerValue(value);
                        }
                    } finally {
                        inFlight.end();
                    }
                });
            } else {
                answerValue(result);
            }
        } catch (RuntimeException | Error e) {
            log.error("Request {} on {} failed unexpectedly", request.requestId(), channel, e);
            fail(RpcErrorCode.INTERNAL, "Internal error: " + e.getClass().getName());
        } finally {
            if (!async) {
                inFlight.end();
            }
        }
    }

    private void answerValue(Object value) {
        if (!request.isOneWay()) {
            sender.value(channel, request.requestId(), serializer, value, valueType, Map.of());
        }
    }

    private void answerException(Throwable t) {
        if (request.isOneWay()) {
            log.warn("One-way call {}#{} threw {}", request.serviceKey(), request.methodName(), t.getClass().getName(), t);
            return;
        }
        log.debug("Call {}#{} threw {}", request.serviceKey(), request.methodName(), t.getClass().getName());
        sender.exception(channel, request.requestId(), serializer, t, Map.of());
    }

    private void fail(RpcErrorCode code, String message) {
        if (request.isOneWay()) {
            log.warn("One-way call {}#{} from {} failed: {} {}", request.serviceKey(), request.methodName(),
                    channel.remoteAddress(), code, message);
            return;
        }
        sender.error(channel, request.requestId(), serializer.id(), code, message);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
