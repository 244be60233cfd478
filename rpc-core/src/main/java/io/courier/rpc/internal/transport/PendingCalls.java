package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.Cancellation;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.RpcErrorCode;
import io.netty.channel.Channel;
import io.netty.util.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The calls one connection has sent and not yet seen answered, by request id, with their
 * timeouts; a call leaves the table exactly once, freeing its slot at that moment.
 *
 * <p>Thread-safe. Calls are added from callers' threads and removed by the event loop
 * (responses, connection loss), the timer (timeouts) or the cancelling thread.
 */
final class PendingCalls {

    private final Map<Long, PendingCall> calls = new ConcurrentHashMap<>();
    private final Channel channel;
    private final FrameWriter writer;
    private final Timer timer;
    private final int maxPendingCalls;

    PendingCalls(Channel channel, FrameWriter writer, Timer timer, int maxPendingCalls) {
        this.channel = channel;
        this.writer = writer;
        this.timer = timer;
        this.maxPendingCalls = maxPendingCalls;
    }

    int size() {
        return calls.size();
    }

    boolean isFull() {
        return calls.size() >= maxPendingCalls;
    }

    /**
     * Tracks a call about to be written. Call {@link #arm} once its request is queued for
     * writing, so that a timeout or cancel frame can never overtake the request on the wire.
     */
    PendingCall add(long id, RpcRequest request) {
        PendingCall call = new PendingCall(id, request, this);
        calls.put(id, call);
        return call;
    }

    /** Starts the call's timer and lets its caller cancel it. */
    void arm(PendingCall call) {
        if (call.request.timeoutMillis() > 0) {
            // A call without a deadline (a stream's single answer) has no timer.
            call.timeout(timer.newTimeout(call, call.request.timeoutMillis(), TimeUnit.MILLISECONDS));
        }
        Cancellation cancellation = call.request.cancellation();
        if (cancellation != null) {
            cancellation.bind(call);
            if (call.isDetached()) {
                // Answered before it was armed: nothing is left to cancel.
                cancellation.unbind(call);
            }
        }
    }

    /** Removes the call a response answers; {@code null} when it already left (timed out, cancelled). */
    PendingCall remove(long id) {
        PendingCall call = calls.remove(id);
        if (call != null) {
            call.detach();
        }
        return call;
    }

    /** Removes a call whose request could not be written, and fails it as not sent. */
    void failUnsent(PendingCall call, Throwable cause) {
        if (calls.remove(call.id, call)) {
            call.detach();
            call.fail(notSent(channel, cause));
        }
    }

    /** The failure of a request that never left: retry-safe, as the provider cannot have run it. */
    static RpcException notSent(Channel channel, Throwable cause) {
        if (cause instanceof RpcException refusal && refusal.code() == RpcErrorCode.SHUTTING_DOWN) {
            // Refused on the way out because the provider is going away: sent elsewhere, no retry spent.
            return refusal;
        }
        return new RpcException(RpcErrorCode.NOT_SENT, "Request could not be written to " + channel.remoteAddress()
                + ": " + cause, cause);
    }

    void expire(PendingCall call) {
        if (calls.remove(call.id, call)) {
            call.detach();
            sendCancel(call.id);
            // Queued or written: the request may still reach the provider, so its outcome is unknown.
            call.fail(RpcException.unanswered(RpcErrorCode.TIMEOUT, "Call " + call.request.method() + " to "
                    + channel.remoteAddress() + " timed out after " + call.request.timeoutMillis() + " ms", null));
        }
    }

    void cancel(PendingCall call) {
        if (calls.remove(call.id, call)) {
            call.detach();
            sendCancel(call.id);
            call.fail(RpcException.unanswered(RpcErrorCode.CANCELLED, "Call " + call.request.method() + " to "
                    + channel.remoteAddress() + " was cancelled by the caller", null));
        }
    }

    /** Tells the provider the answer (or stream) is no longer wanted, so it can skip or stop the call. */
    void sendCancel(long id) {
        if (channel.isActive()) {
            channel.writeAndFlush(writer.cancel(channel.alloc(), id), channel.voidPromise());
        }
    }

    /**
     * Fails every call because the connection closed: {@link RpcErrorCode#OUTCOME_UNKNOWN} for a
     * call whose request was written, {@link RpcErrorCode#NOT_SENT} for one still queued (the close
     * discards it). Each call gets its own exception, as a cluster invoker may wrap it.
     */
    void failAll() {
        for (Long id : calls.keySet()) {
            PendingCall call = calls.remove(id);
            if (call != null) {
                call.detach();
                call.fail(call.isWritten()
                        ? RpcException.unanswered(RpcErrorCode.OUTCOME_UNKNOWN, "Connection to " + channel.remoteAddress()
                                + " closed after " + call.request.method() + " was sent and before it was answered", null)
                        : new RpcException(RpcErrorCode.NOT_SENT, "Connection to " + channel.remoteAddress()
                                + " closed before " + call.request.method() + " was written"));
            }
        }
    }
}
