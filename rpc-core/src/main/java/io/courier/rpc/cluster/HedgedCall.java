package io.courier.rpc.cluster;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.Cancellation;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One call of a hedged method ({@link io.courier.rpc.RpcMethod#hedgeDelayMillis()}), as gRPC's
 * hedging policy runs it: the first attempt goes out at once; while no answer has come, another
 * goes to a provider not tried yet each hedging delay, up to the method's hedge attempts; the
 * first answer completes the call and the attempts still running are cancelled, which sends
 * their providers a CANCEL frame. A failure that allows a retry (the method is idempotent) sends
 * the next attempt at once and lets the others go on; any other failure ends the call. Every
 * attempt may use the time the call has left, so the call's deadline holds for all of them.
 *
 * <p>Thread-safe: attempts end on transport threads, hedges start on a timer thread and the
 * caller may cancel on its own thread. The state is guarded by this object's monitor; sending,
 * cancelling and completing happen outside it, as they may call back into it.
 */
final class HedgedCall extends CompletableFuture<RpcResponse> {

    private static final Logger log = LoggerFactory.getLogger(HedgedCall.class);

    /** Why an attempt is sent. */
    private enum Kind {
        /** The call's first attempt. */
        FIRST,
        /** The hedging delay passed without an answer. */
        HEDGE,
        /** An attempt failed in a way that allows another. */
        NEXT,
        /** An attempt was refused by a provider going away; does not count as an attempt. */
        REDIRECT
    }

    private final ClusterInvoker invoker;
    private final RpcRequest request;
    private final long deadline;
    private final long delayMillis;
    private final int maxAttempts;
    /** Bound to the caller's cancellation: cancels every attempt. */
    private final Runnable cancelAttempts = this::cancelAttempts;

    // Guarded by this.
    private final List<Attempt> running = new ArrayList<>(2);
    private final List<Endpoint> tried = new ArrayList<>(2);
    private int sent;
    private int redirects;
    /** Counts attempts sent, so that a hedge timer set before the latest one does nothing. */
    private int generation;
    private boolean done;
    private List<RpcException.Attempt> failed;
    private boolean mayHaveRun;

    HedgedCall(ClusterInvoker invoker, RpcRequest request, long deadlineNanos) {
        this.invoker = invoker;
        this.request = request;
        this.deadline = deadlineNanos;
        this.delayMillis = request.method().hedgeDelayMillis();
        this.maxAttempts = request.method().hedgeAttempts();
    }

    /** Sends the first attempt and sets the first hedge's timer. */
    void start() {
        Cancellation caller = request.cancellation();
        if (caller != null) {
            caller.bind(cancelAttempts);
        }
        send(Kind.FIRST);
    }

    /**
     * Sends an attempt unless the call is over or may not send one more.
     *
     * @return whether an attempt was sent (or the call ended trying)
     */
    private boolean send(Kind kind) {
        Attempt attempt = new Attempt();
        long left;
        int number;
        RpcException unroutable = null;
        synchronized (this) {
            if (done || kind != Kind.FIRST && request.isCancelled()
                    || kind != Kind.REDIRECT && sent >= maxAttempts) {
                return false;
            }
            left = (deadline - System.nanoTime()) / 1_000_000;
            if (kind != Kind.FIRST && left < 1) {
                return false;
            }
            try {
                // A hedge goes to a provider without an attempt of this call, or not at all.
                attempt.endpoint = invoker.select(request, tried, kind != Kind.FIRST, attempt);
            } catch (RpcException e) {
                if (kind != Kind.FIRST) {
                    // The providers went away meanwhile: the attempts running decide the call.
                    return false;
                }
                done = true;
                unroutable = e;
            }
            if (unroutable == null) {
                if (attempt.endpoint == null) {
                    return false;
                }
                if ((kind == Kind.HEDGE || kind == Kind.NEXT) && !invoker.retryBudget().tryWithdraw()) {
                    // Retries are being throttled: hedges are retries sent early.
                    if (attempt.probe) {
                        invoker.probeUnused(attempt.endpoint);
                    }
                    return false;
                }
                // Set before the attempt is visible: a call finishing on another thread may end it at once.
                attempt.startNanos = System.nanoTime();
                tried.add(attempt.endpoint);
                running.add(attempt);
                if (kind == Kind.REDIRECT) {
                    redirects++;
                } else {
                    sent++;
                }
                number = sent + redirects;
                int current = ++generation;
                if (sent < maxAttempts) {
                    // Runs on the JDK's delay thread itself, not the common pool, which an
                    // application may keep busy: sending does not block (see CallSender).
                    CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS, Runnable::run)
                            .execute(() -> hedgeDue(current));
                }
            } else {
                number = 0;
            }
        }
        if (unroutable != null) {
            finish(null, unroutable);
            return true;
        }
        if (kind != Kind.FIRST) {
            log.debug("Sending attempt {} of {} to {} ({})", number, request.method(), attempt.endpoint.key(), kind);
        }
        if (request.isCancelled()) {
            // Cancelled before the attempt left: the transport fails it at once, without sending it.
            attempt.cancellation.cancel();
        }
        invoker.send(attempt.endpoint, request.withAttempt(Math.max(1, left), attempt.cancellation))
                .whenComplete(attempt);
        return true;
    }

    /** The hedging delay passed; sends a hedge unless an attempt was sent since the timer was set. */
    private void hedgeDue(int timerGeneration) {
        synchronized (this) {
            if (done || timerGeneration != generation) {
                return;
            }
        }
        send(Kind.HEDGE);
    }

    private void attemptEnded(Attempt attempt, RpcResponse response, Throwable error) {
        RpcException failure = error == null ? null : ClusterInvoker.asRpcException(error);
        invoker.attemptEnded(attempt.endpoint, attempt.startNanos, failure, attempt.probe);
        Kind next = null;
        synchronized (this) {
            running.remove(attempt);
            if (done) {
                // An attempt that lost to the answer, cancelled or finishing anyway.
                return;
            }
            if (failure != null) {
                if (failed == null) {
                    failed = new ArrayList<>(maxAttempts + 1);
                }
                failed.add(new RpcException.Attempt(attempt.endpoint.key(), ClusterInvoker.phaseOf(failure),
                        (System.nanoTime() - attempt.startNanos) / 1_000_000, failure.code(), failure.getMessage()));
                mayHaveRun |= failure.outcomeUnknown() || failure.code() == RpcErrorCode.CONNECTION_LOST;
                if (!request.isCancelled() && deadline - System.nanoTime() > 1_000_000) {
                    if (failure.code() == RpcErrorCode.SHUTTING_DOWN
                            && redirects < invoker.directory().endpoints().size()) {
                        next = Kind.REDIRECT;
                    } else if (ClusterInvoker.mayRetry(request.method(), failure)) {
                        next = Kind.NEXT;
                    }
                }
                if (next == null && !running.isEmpty() && ClusterInvoker.mayRetry(request.method(), failure)) {
                    // The others may still answer.
                    return;
                }
            }
            if (next == null) {
                done = true;
            }
        }
        if (next == null) {
            finish(response, failure);
            return;
        }
        if (!send(next)) {
            finishIfNothingRuns(failure);
        }
    }

    /** Ends the call with {@code last} when no attempt is running and none could be sent. */
    private void finishIfNothingRuns(RpcException last) {
        synchronized (this) {
            if (done || !running.isEmpty()) {
                return;
            }
            done = true;
        }
        finish(null, last);
    }

    /** Completes the call (with the answer, or else the failure) and cancels the attempts still running. */
    private void finish(RpcResponse response, RpcException failure) {
        List<Attempt> losers;
        List<RpcException.Attempt> attempts;
        boolean unknown;
        synchronized (this) {
            losers = List.copyOf(running);
            running.clear();
            attempts = failed;
            unknown = mayHaveRun;
        }
        Cancellation caller = request.cancellation();
        if (caller != null) {
            caller.unbind(cancelAttempts);
        }
        for (Attempt loser : losers) {
            loser.cancellation.cancel();
        }
        if (failure == null) {
            complete(response);
        } else {
            invoker.finish(request, ClusterInvoker.explained(attempts, unknown, failure), this);
        }
    }

    /** The caller cancelled: cancels every attempt, whose ends then finish the call. */
    private void cancelAttempts() {
        List<Attempt> attempts;
        synchronized (this) {
            attempts = List.copyOf(running);
        }
        for (Attempt attempt : attempts) {
            attempt.cancellation.cancel();
        }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        // Stages callers add are plain futures, not calls.
        return new CompletableFuture<>();
    }

    /** One attempt: where it went, and its own cancellation, which sends its provider a CANCEL frame. */
    private final class Attempt implements BiConsumer<RpcResponse, Throwable>, ClusterInvoker.Routed {

        final Cancellation cancellation = new Cancellation();
        Endpoint endpoint;
        boolean probe;
        long startNanos;

        @Override
        public void probe(boolean probe) {
            this.probe = probe;
        }

        @Override
        public void accept(RpcResponse response, Throwable error) {
            attemptEnded(this, response, error);
        }
    }
}
