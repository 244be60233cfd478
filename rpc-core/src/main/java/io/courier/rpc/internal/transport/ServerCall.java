package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcException;
import io.courier.rpc.interceptor.AdmissionControl;
import io.courier.rpc.internal.dispatch.MethodInvoker;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.internal.protocol.RequestMessage;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.Serializer;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One admitted call, run on a business thread: decode the arguments, run the interceptors and
 * the method with the call's {@link RpcContext} bound (its principal, and its attachments
 * without the caller's credentials), answer.
 *
 * <p>Runs once, on one thread; {@link #cancel()} may come from any thread at any time: a call
 * cancelled while queued is skipped, one cancelled while running has its context marked
 * cancelled, and neither is answered (the caller no longer waits). Owns the request message and
 * releases it as soon as the arguments are decoded. {@link #finish()} runs exactly once per call.
 */
final class ServerCall implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ServerCall.class);

    private final Channel channel;
    private final RequestMessage request;
    private final MethodInvoker invoker;
    private final Serializer serializer;
    private final ResponseSender sender;
    private final InFlightCalls inFlight;
    private final AdmissionControl[] admissions;
    private final ResponseSizeHint sizeHint;
    private final long budgetMillis;
    private final long deadlineNanos;
    private final ActiveCalls active;
    private final Map<String, String> attachments;
    private final Principal principal;
    private boolean admissionsReleased;
    private volatile boolean cancelled;
    private volatile RpcContext context;

    ServerCall(Channel channel, RequestMessage request, MethodInvoker invoker, Serializer serializer,
            ResponseSender sender, InFlightCalls inFlight, AdmissionControl[] admissions, ResponseSizeHint sizeHint,
            long receivedNanos, ActiveCalls active, Map<String, String> attachments, Principal principal) {
        this.attachments = attachments;
        this.principal = principal;
        this.sizeHint = sizeHint;
        this.active = active;
        this.channel = channel;
        this.request = request;
        this.invoker = invoker;
        this.serializer = serializer;
        this.sender = sender;
        this.inFlight = inFlight;
        this.admissions = admissions;
        long budgetMillis = request.timeoutMillis();
        if (invoker.timeoutMillis() > 0 && (budgetMillis == 0 || invoker.timeoutMillis() < budgetMillis)) {
            budgetMillis = invoker.timeoutMillis();
        }
        this.budgetMillis = budgetMillis;
        this.deadlineNanos = budgetMillis > 0 ? receivedNanos + budgetMillis * 1_000_000 : 0;
    }

    /** The caller gave up on this call: skip it if it has not started, else mark its context cancelled. */
    void cancel() {
        cancelled = true;
        RpcContext running = context;
        if (running != null) {
            running.cancel();
        }
    }

    @Override
    public void run() {
        if (cancelled) {
            log.debug("Skipping request {} on {}: cancelled by the caller while queued", request.requestId(), channel);
            request.release();
            finish();
            return;
        }
        CompletableFuture<RpcResponse> outcome;
        RpcContext context;
        try {
            Object[] arguments;
            try {
                if (deadlineNanos != 0 && System.nanoTime() - deadlineNanos >= 0) {
                    answerError(RpcErrorCode.DEADLINE_EXCEEDED, "Deadline of " + budgetMillis
                            + " ms passed before the call started");
                    finish();
                    return;
                }
                arguments = serializer.readArguments(invoker.parameterTypes(), new ByteBufInputStream(request.content()));
            } catch (RpcException e) {
                answerError(e.code(), e.getMessage());
                finish();
                return;
            } catch (RuntimeException e) {
                answerError(RpcErrorCode.SERIALIZATION, "Cannot decode arguments: " + e);
                finish();
                return;
            } finally {
                request.release();
            }
            context = RpcContext.forServerCall(attachments, deadlineNanos, channel.remoteAddress(),
                    channel.eventLoop(), principal);
            this.context = context;
            if (cancelled) {
                // The cancel came between the check above and publishing the context.
                context.cancel();
            }
            long remaining = deadlineNanos == 0 ? 0 : Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
            RpcRequest call = new RpcRequest(invoker.metadata(), arguments, attachments, remaining);
            try (RpcContext.Scope ignored = context.makeCurrent()) {
                outcome = invoker.invoke(call);
            }
        } catch (RuntimeException | Error e) {
            log.error("Request {} on {} failed unexpectedly", request.requestId(), channel, e);
            answerError(RpcErrorCode.INTERNAL, "Internal error: " + e.getClass().getName());
            finish();
            return;
        }
        RpcContext served = context;
        outcome.whenComplete((response, error) -> {
            // Free the limiters' slots before answering, so a caller that sends its next call as
            // soon as it has the answer never finds its own previous call still counted.
            releaseAdmissions();
            try {
                if (cancelled) {
                    log.debug("Not answering request {} on {}: cancelled by the caller", request.requestId(), channel);
                } else if (error != null) {
                    answerFailure(error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error, served);
                } else if (response.hasException()) {
                    answerException(response.exception(), attachments(response, served));
                } else if (!request.isOneWay()) {
                    sender.value(channel, request.requestId(), serializer, response.value(),
                            invoker.metadata().valueType(), attachments(response, served), sizeHint);
                }
            } catch (RuntimeException e) {
                log.error("Cannot answer request {} on {}", request.requestId(), channel, e);
            } finally {
                finish();
            }
        });
    }

    private void finish() {
        releaseAdmissions();
        if (active != null) {
            active.remove(request.requestId(), this);
        }
        inFlight.end();
    }

    private void releaseAdmissions() {
        if (admissionsReleased) {
            return;
        }
        admissionsReleased = true;
        for (int i = admissions.length - 1; i >= 0; i--) {
            admissions[i].onComplete(invoker.metadata());
        }
    }

    private static Map<String, String> attachments(RpcResponse response, RpcContext context) {
        Map<String, String> fromContext = context.pendingResponseAttachments();
        if (fromContext.isEmpty()) {
            return response.attachments();
        }
        if (response.attachments().isEmpty()) {
            return fromContext;
        }
        Map<String, String> merged = new HashMap<>(fromContext);
        merged.putAll(response.attachments());
        return merged;
    }

    private void answerFailure(Throwable error, RpcContext context) {
        if (error instanceof RpcException e) {
            answerError(e.code(), e.getMessage());
        } else {
            // Thrown by an interceptor: user code, reported like a business exception.
            answerException(error, context.pendingResponseAttachments());
        }
    }

    private void answerException(Throwable t, Map<String, String> attachments) {
        if (request.isOneWay()) {
            log.warn("One-way call {}#{} threw {}", request.serviceKey(), request.methodName(), t.getClass().getName(), t);
            return;
        }
        log.debug("Call {}#{} threw {}", request.serviceKey(), request.methodName(), t.getClass().getName());
        sender.exception(channel, request.requestId(), serializer, t, attachments);
    }

    private void answerError(RpcErrorCode code, String message) {
        if (request.isOneWay()) {
            log.warn("One-way call {}#{} from {} failed: {} {}", request.serviceKey(), request.methodName(),
                    channel.remoteAddress(), code, message);
            return;
        }
        sender.error(channel, request.requestId(), serializer.id(), code, message);
    }
}
