package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.interceptor.AdmissionControl;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.dispatch.MethodInvoker;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One call on a provider, whatever protocol brought it: admitted by the
 * {@link ServerDispatchHandler}, then run on a business thread: decode the arguments, run the
 * interceptors and the method with the call's {@link RpcContext} bound (its principal, and its
 * attachments without the caller's credentials), answer. The protocols differ only in how the
 * call names its method, reads its arguments and writes its answer: {@link BinaryServerCall}
 * and {@link HttpServerCall}.
 *
 * <p>Runs once, on one thread; {@link #cancel()} may come from any thread at any time: a call
 * cancelled while queued is skipped, one cancelled while running has its context marked
 * cancelled, and neither is answered (the caller no longer waits). {@link #finish()} runs
 * exactly once per admitted call.
 */
abstract class ServerCall implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ServerCall.class);

    final Channel channel;
    private final long receivedNanos;
    MethodInvoker invoker;
    private InFlightCalls inFlight;
    private AdmissionControl[] admissions;
    private long budgetMillis;
    private long deadlineNanos;
    private ActiveCalls active;
    private Map<String, String> attachments;
    private Principal principal;
    private boolean admissionsReleased;
    private static final AtomicIntegerFieldUpdater<ServerCall> FINISHED =
            AtomicIntegerFieldUpdater.newUpdater(ServerCall.class, "finished");

    private volatile boolean cancelled;
    @SuppressWarnings("unused") // through FINISHED
    private volatile int finished;
    private volatile RpcContext context;

    ServerCall(Channel channel, long receivedNanos) {
        this.channel = channel;
        this.receivedNanos = receivedNanos;
    }

    /** Returns the id under which {@link ActiveCalls} tracks this call on its connection. */
    abstract long requestId();

    /** Whether the caller awaits no answer. */
    abstract boolean isOneWay();

    abstract String serviceKey();

    abstract String methodName();

    /** Returns the caller's time budget in milliseconds, 0 for none. */
    abstract long timeoutMillis();

    /** Returns the caller's attachments, credentials included. */
    abstract Map<String, String> incomingAttachments();

    /**
     * Finds the method to call, on the event loop, after authentication.
     *
     * @throws RpcException when there is none (or, over HTTP, when the body does not bind)
     */
    abstract MethodInvoker resolve(InvokerTable invokers);

    /** Decodes the arguments on the business thread; frees the body, whatever happens. */
    abstract Object[] readArguments();

    /** Frees the body of a call that is not handed to a business thread. */
    abstract void releaseBody();

    /** Returns what the decoded arguments took of the provider's decode budget; once, when the call ends. */
    void releaseDecoded() {
    }

    abstract void answerValue(Object value, Map<String, String> attachments);

    abstract void answerException(Throwable t, Map<String, String> attachments);

    abstract void answerError(RpcErrorCode code, String message);

    /**
     * Whether the answer is a stream that outlives {@link #answerValue}: then the call holds its
     * admission (limits, in-flight count) until {@link #answerStream} reports the stream ended.
     */
    boolean streamsAnswer() {
        return false;
    }

    /**
     * Streams the publisher the method returned; runs {@code ended} once when the stream is over,
     * whichever way. Only called when {@link #streamsAnswer()}.
     */
    void answerStream(Object publisher, Map<String, String> attachments, Runnable ended) {
        throw new UnsupportedOperationException();
    }

    /** The caller cancelled the call, or its connection closed; streams stop here. */
    void onCancelled() {
    }

    /** The call is over and leaves its connection's table; streams free what they hold. */
    void onFinished() {
    }

    /** Answers a refusal before admission; HTTP keeps the exception for its problem body. */
    void answerRefusal(RpcException e) {
        answerError(e.code(), e.getMessage());
    }

    /** Records what admission decided; called once, on the event loop, before the hand-off. */
    final void admit(MethodInvoker invoker, Principal principal, Map<String, String> attachments,
            InFlightCalls inFlight, AdmissionControl[] admissions, ActiveCalls active) {
        this.invoker = invoker;
        this.principal = principal;
        this.attachments = attachments;
        this.inFlight = inFlight;
        this.admissions = admissions;
        this.active = active;
        long budgetMillis = timeoutMillis();
        if (invoker.timeoutMillis() > 0 && (budgetMillis == 0 || invoker.timeoutMillis() < budgetMillis)) {
            budgetMillis = invoker.timeoutMillis();
        }
        this.budgetMillis = budgetMillis;
        this.deadlineNanos = budgetMillis > 0 ? receivedNanos + budgetMillis * 1_000_000 : 0;
    }

    /** The caller gave up on this call: skip it if it has not started, else mark its context cancelled. */
    final void cancel() {
        cancelled = true;
        RpcContext running = context;
        if (running != null) {
            running.cancel();
        }
        onCancelled();
    }

    @Override
    public final void run() {
        inFlight.dequeue();
        if (cancelled) {
            log.debug("Skipping request {} on {}: cancelled by the caller while queued", requestId(), channel);
            releaseBody();
            finish();
            return;
        }
        CompletableFuture<RpcResponse> outcome;
        RpcContext context;
        try {
            Object[] arguments;
            try {
                if (deadlineNanos != 0 && System.nanoTime() - deadlineNanos >= 0) {
                    releaseBody();
                    answerErrorUnlessOneWay(RpcErrorCode.DEADLINE_EXCEEDED, "Deadline of " + budgetMillis
                            + " ms passed before the call started");
                    finish();
                    return;
                }
                arguments = readArguments();
            } catch (RpcException e) {
                answerErrorUnlessOneWay(e.code(), e.getMessage());
                finish();
                return;
            } catch (RuntimeException e) {
                answerErrorUnlessOneWay(RpcErrorCode.SERIALIZATION, "Cannot decode arguments: " + e);
                finish();
                return;
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
            log.error("Request {} on {} failed unexpectedly", requestId(), channel, e);
            answerErrorUnlessOneWay(RpcErrorCode.INTERNAL, "Internal error: " + e.getClass().getName());
            finish();
            return;
        }
        RpcContext served = context;
        outcome.whenComplete((response, error) -> {
            if (streamsAnswer() && !cancelled && error == null && !response.hasException()) {
                try {
                    answerStream(response.value(), attachments(response, served), this::finish);
                } catch (RuntimeException e) {
                    log.error("Cannot stream the answer to request {} on {}", requestId(), channel, e);
                    finish();
                }
                return;
            }
            // Free the limiters' slots before answering, so a caller that sends its next call as
            // soon as it has the answer never finds its own previous call still counted.
            releaseAdmissions();
            try {
                if (cancelled) {
                    log.debug("Not answering request {} on {}: cancelled by the caller", requestId(), channel);
                } else if (error != null) {
                    answerFailure(error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error, served);
                } else if (response.hasException()) {
                    answerExceptionUnlessOneWay(response.exception(), attachments(response, served));
                } else if (!isOneWay()) {
                    answerValue(response.value(), attachments(response, served));
                }
            } catch (RuntimeException e) {
                log.error("Cannot answer request {} on {}", requestId(), channel, e);
            } finally {
                finish();
            }
        });
    }

    private void finish() {
        if (!FINISHED.compareAndSet(this, 0, 1)) {
            return;
        }
        onFinished();
        releaseDecoded();
        releaseAdmissions();
        if (active != null) {
            active.remove(requestId(), this);
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
            answerErrorUnlessOneWay(e.code(), e.getMessage());
        } else {
            // Thrown by an interceptor: user code, reported like a business exception.
            answerExceptionUnlessOneWay(error, context.pendingResponseAttachments());
        }
    }

    private void answerExceptionUnlessOneWay(Throwable t, Map<String, String> attachments) {
        if (isOneWay()) {
            log.warn("One-way call {}#{} threw {}", serviceKey(), methodName(), t.getClass().getName(), t);
            return;
        }
        log.debug("Call {}#{} threw {}", serviceKey(), methodName(), t.getClass().getName());
        answerException(t, attachments);
    }

    private void answerErrorUnlessOneWay(RpcErrorCode code, String message) {
        if (isOneWay()) {
            log.warn("One-way call {}#{} from {} failed: {} {}", serviceKey(), methodName(),
                    channel.remoteAddress(), code, message);
            return;
        }
        answerError(code, message);
    }
}
