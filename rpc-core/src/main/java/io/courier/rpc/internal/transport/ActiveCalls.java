package io.courier.rpc.internal.transport;

import io.netty.util.AttributeKey;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls one connection has queued or running on a provider, by request id, so that a
 * cancel frame, or the connection closing, reaches them.
 *
 * <p>Thread-safe. Calls are added on the event loop and removed by business threads when they
 * finish.
 */
final class ActiveCalls {

    static final AttributeKey<ActiveCalls> KEY = AttributeKey.valueOf(ActiveCalls.class, "activeCalls");

    private final Map<Long, ServerCall> calls = new ConcurrentHashMap<>();

    void add(long requestId, ServerCall call) {
        calls.put(requestId, call);
    }

    void remove(long requestId, ServerCall call) {
        calls.remove(requestId, call);
    }

    /** Returns the call with this id, or {@code null}. */
    ServerCall get(long requestId) {
        return calls.get(requestId);
    }

    /** Tells every streaming call that the connection's writability changed. */
    void writabilityChanged() {
        for (ServerCall call : calls.values()) {
            if (call instanceof StreamServerCall stream) {
                stream.writabilityChanged();
            }
        }
    }

    int size() {
        return calls.size();
    }

    /** Cancels one call; an unknown id (already answered, or one-way) is ignored. */
    void cancel(long requestId) {
        ServerCall call = calls.get(requestId);
        if (call != null) {
            call.cancel();
        }
    }

    /** Cancels every call: their caller is gone. */
    void cancelAll() {
        calls.values().forEach(ServerCall::cancel);
    }
}
