package io.courier.rpc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a client proxy of a remote Courier service.
 *
 * <pre>{@code
 * @RestController
 * class Greeter {
 *     @RpcReference(timeout = "800ms")
 *     UserService users;                       // a field
 *
 *     Greeter(@RpcReference(version = "2.0") AuditService audit) { ... }   // or a constructor parameter
 * }
 * }</pre>
 *
 * <p>Works on fields, on methods (every parameter is injected, like an {@code @Autowired}
 * setter), and on parameters of constructors and {@code @Bean} methods. The annotated type must
 * be the service interface. Proxies are created once per distinct configuration and shared, so
 * two injection points with the same settings get the same object. To inject a proxy with
 * {@code @Autowired} elsewhere, declare it as a bean with {@link ImportRpcReferences}; an
 * {@code @RpcReference} without attributes then receives that bean too (or the
 * {@code @MockitoBean} that replaces it in a test).
 *
 * <p>Every string attribute accepts {@code ${...}} placeholders. Each setting is resolved, most
 * specific first:
 * <ol>
 * <li>{@code courier.rpc.services.<interface>.methods.<method>.timeout} (a single method; also
 *     {@code .attempt-timeout}),</li>
 * <li>{@code @RpcMethod(timeoutMillis = ...)} on the interface method (also {@code attemptTimeoutMillis}),</li>
 * <li>{@code courier.rpc.services.<interface>.*} (timeout, attempt timeout, retries, version, group,
 *     address, load balancer, cluster, tag, check),</li>
 * <li>this annotation,</li>
 * <li>{@code courier.rpc.consumer.*} and {@code courier.rpc.registry.address}.</li>
 * </ol>
 *
 * <p>Asynchronous calls are declared on the interface, by returning {@code CompletableFuture}, or
 * here with {@link #async()} for an interface whose methods return plain values.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface RpcReference {

    /** Version of the service to call, empty for none; must match the provider's. */
    String version() default "";

    /** Group of the service to call, empty for none; must match the provider's. */
    String group() default "";

    /**
     * Call timeout of every method without its own, for example {@code 800ms} or {@code 2s};
     * empty to use {@code courier.rpc.consumer.timeout}.
     */
    String timeout() default "";

    /**
     * Per-attempt timeout of the interface's idempotent methods without their own, for example
     * {@code 300ms}: an attempt unanswered within it is cancelled and tried on another provider
     * while the call timeout leaves time; {@code 0} for none, empty to use
     * {@code courier.rpc.consumer.attempt-timeout}.
     */
    String attemptTimeout() default "";

    /**
     * How many other providers a call may try when the first attempt provably did not run there,
     * from 0 to 10; -1 (the default) uses {@code courier.rpc.consumer.retries}.
     */
    int retries() default -1;

    /** Name of the load balancer choosing among providers; empty to use {@code courier.rpc.consumer.load-balancer}. */
    String loadBalancer() default "";

    /**
     * Provider addresses for a direct connection, bypassing {@code courier.rpc.registry.address}:
     * {@code host:port}, several separated by commas, optionally prefixed with {@code direct://}.
     */
    String address() default "";

    /**
     * What a failed call does: {@code failover} (try another provider when that is safe),
     * {@code failfast} (report the failure at once) or {@code failsafe} (log it and return
     * {@code null}, zero or {@code false}); empty to use {@code courier.rpc.consumer.cluster}.
     */
    String cluster() default "";

    /**
     * Provider tag calls ask for, e.g. {@code canary}, to reach only the providers started with
     * {@code courier.rpc.server.tags} containing it; empty to use {@code courier.rpc.consumer.tag}.
     */
    String tag() default "";

    /**
     * Whether methods with a plain return type return at once, with {@code null}, zero or
     * {@code false}, leaving the call's future in {@code RpcContext.lastFuture()}:
     * <pre>{@code
     * users.get(42);                                          // returns null at once
     * CompletableFuture<User> user = RpcContext.lastFuture();
     * }</pre>
     * A setting of the code that calls rather than of the deployment, so there is no property for it.
     */
    boolean async() default false;
}
