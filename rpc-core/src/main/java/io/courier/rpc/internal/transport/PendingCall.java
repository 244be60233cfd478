package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.Cancellation;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A call written to a connection and awaiting its response, and the one place that completes
 * its future: on the call's completion executor when it has one, else on the thread that
 * produced the outcome.
 *
 * <p>Thread-safe: whichever of response, timeout, cancel, failed write or connection loss
 * removes it from {@link PendingCalls} first completes it; the others find nothing to do. It is
 * its own timer task (the timeout), cancel action and write listener, so tracking a call
 * allocates nothing more.
 */
final class PendingCall implements TimerTask, Runnable, ChannelFutureListener {

    final long id;
    final RpcRequest request;
    final CompletableFuture<RpcResponse> future = new CompletableFuture<>();
    private final PendingCalls owner;
    private volatile Timeout timeout;
    private volatile boolean detached;
    /** Whether the request reached the socket; decides between NOT_SENT and OUTCOME_UNKNOWN on connection loss. */
    private volatile boolean written;

    PendingCall(long id, RpcRequest request, PendingCalls owner) {
        this.id = id;
        this.request = request;
        this.owner = owner;
    }

    void timeout(Timeout timeout) {
        this.timeout = timeout;
        if (detached) {
            // Answered before its timer started.
            timeout.cancel();
        }
    }

    boolean isWritten() {
        return written;
    }

    boolean isDetached() {
        return detached;
    }

    /** Stops the timer and forgets the cancel action: the call is leaving the pending table. */
    void detach() {
        detached = true;
        Timeout t = timeout;
        if (t != null) {
            t.cancel();
        }
        Cancellation cancellation = request.cancellation();
        if (cancellation != null) {
            cancellation.unbind(this);
        }
    }

    /** The call's deadline passed. */
    @Override
    public void run(Timeout t) {
        owner.expire(this);
    }

    /** The caller cancelled the call. */
    @Override
    public void run() {
        owner.cancel(this);
    }

    /** The request's write finished; a failure means it never left, so the call may be retried. */
    @Override
    public void operationComplete(ChannelFuture write) {
        if (write.isSuccess()) {
            written = true;
        } else {
            owner.failUnsent(this, write.cause());
        }
    }

    /** Completes the call with a response, on its completion executor. */
    void complete(RpcResponse response) {
        deliver(request.completionExecutor(), () -> future.complete(response));
    }

    /** Fails the call, on its completion executor. */
    void fail(RpcException failure) {
        deliver(request.completionExecutor(), () -> future.completeExceptionally(failure));
    }

    /** Runs a completion on {@code executor}, or right here when there is none (a blocked caller only needs waking). */
    static void deliver(Executor executor, Runnable completion) {
        if (executor == null) {
            completion.run();
            return;
        }
        try {
            executor.execute(completion);
        } catch (RejectedExecutionException e) {
            // The executor is full or shutting down: an outcome delivered late beats none.
            completion.run();
        }
    }
}
