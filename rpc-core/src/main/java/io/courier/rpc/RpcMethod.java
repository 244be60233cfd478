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
 *     @RpcMethod(idempotent = true, timeoutMillis = 500)
 *     Report find(long id);
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
     * Positions of the arguments whose values the {@code consistent-hash} load balancer hashes,
     * so that calls with equal values go to the same provider.
     */
    int[] hashArguments() default {0};
}
