package io.courier.rpc.spring.test;

import io.courier.rpc.RpcErrorCode;

import java.time.Duration;
import java.util.function.Function;

/**
 * What a script does to a call it takes; exactly one of the fields applies, by {@link #kind()}.
 *
 * <p>Thread-safe (immutable; the stub must be thread-safe itself).
 */
record FaultAction(Kind kind, RpcErrorCode code, String message, Duration delay, Function<Object[], ?> stub) {

    /** The kinds of fault. */
    enum Kind {
        FAIL, DELAY, DROP_AFTER_SEND, ANSWER
    }

    static FaultAction fail(RpcErrorCode code, String message) {
        return new FaultAction(Kind.FAIL, code, message, null, null);
    }

    static FaultAction delay(Duration delay) {
        return new FaultAction(Kind.DELAY, null, null, delay, null);
    }

    static FaultAction dropAfterSend() {
        return new FaultAction(Kind.DROP_AFTER_SEND, null, null, null, null);
    }

    static FaultAction answer(Function<Object[], ?> stub) {
        return new FaultAction(Kind.ANSWER, null, null, null, stub);
    }

    /** Whether the consumer's interceptor carries the fault out; the provider's does the others. */
    boolean consumerSide() {
        return kind == Kind.DROP_AFTER_SEND;
    }
}
