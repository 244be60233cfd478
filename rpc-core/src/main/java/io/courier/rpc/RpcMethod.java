package io.courier.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Per-method call semantics, declared on a method of a service interface and read once when a
 * proxy or an exported service is created.
 *
 * <pre>{@code
 * interface AuditService {
 *     @RpcMethod(oneWay = true)
 *     void record(AuditEvent event);     // fire and forget: no response is awaited
 *
 *     @RpcMethod(idempotent = true, timeoutMillis = 500, attemptTimeoutMillis = 150)
 *     Report find(long id);              // a provider silent for 150 ms costs one attempt, not the call
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcMethod {

    /**
     * Whether the caller sends the call without awaiting a response. Only {@code void} methods
     * may be one-way; errors on the provider are then only logged there.
     */
    boolean oneWay() default false;

    /**
     * Whether running the method twice has the same effect as once, which allows retrying it on
     * another provider even when the outcome of the first attempt is unknown.
     */
    boolean idempotent() default false;

    /** Call timeout in milliseconds for this method; 0 inherits the reference's timeout. */
    long timeoutMillis() default 0;

    /**
     * Per-attempt timeout in milliseconds of an {@link #idempotent()} method; 0 inherits the
     * reference's (none by default). An attempt that has no answer within it is cancelled and,
     * while the call's own timeout leaves time and its retries allow, tried again on another
     * provider, so a provider that hangs costs one attempt instead of the whole call. Each
     * attempt gets at most the time the call has left; the last attempt the retries allow gets
     * all of it. Ignored for methods that are not idempotent (a call that was sent is never
     * retried) and outside the failover cluster mode. Set it well above the method's usual
     * latency (its p99, say): an attempt cut short fails its call when no retry may follow (the
     * retries or the retry budget are used up), however much time the call had left.
     */
    long attemptTimeoutMillis() default 0;

    /**
     * Hedging delay in milliseconds of an {@link #idempotent()} method; 0 inherits the
     * reference's (none by default). A call still unanswered this long after its attempt was sent
     * sends another attempt to a provider not tried yet, up to the reference's hedge attempts
     * (2 by default); the first answer wins and the other attempts are cancelled (CANCEL frame).
     * An attempt that fails in a way that allows a retry sends the next one at once; the others
     * keep waiting. Each hedge spends from the retry budget. A hedged call's attempts are not cut
     * short by {@link #attemptTimeoutMillis()}: every attempt may use the time the call has left.
     * Only in the failover cluster mode. Set it near the method's p95 latency: every call slower
     * than that costs a second provider the work. Declaring it on a method that is not idempotent
     * (or is one-way or streams) fails the reference's configuration with an
     * {@link InvalidOptionException}.
     */
    long hedgeDelayMillis() default 0;

    /**
     * Positions of the arguments whose values the {@code consistent-hash} load balancer hashes,
     * so that calls with equal values go to the same provider.
     */
    int[] hashArguments() default {0};
}
