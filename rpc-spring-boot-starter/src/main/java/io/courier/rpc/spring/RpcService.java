package io.courier.rpc.spring;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean as a Courier service: it is a {@link Component} like any other, and the
 * auto-configured Courier server exports it to remote consumers.
 *
 * <pre>{@code
 * @RpcService(version = "1.0")
 * class UserServiceImpl implements UserService { ... }
 * }</pre>
 *
 * <p>The exported interface is the one interface the bean implements (Spring and JDK interfaces
 * such as {@code InitializingBean} or {@code Serializable} are ignored); set
 * {@link #interfaceClass()} when it implements several. The server starts once the application
 * context is refreshed and stops first when it closes: it stops accepting calls, lets in-flight
 * calls finish within {@code courier.rpc.server.shutdown-grace}, then closes its connections.
 *
 * <p>Version, group, weight and timeout can be overridden per interface in {@code application.yml}
 * ({@code courier.rpc.services.<interface>.version}, {@code .group}, {@code .weight},
 * {@code .timeout}); the property wins over the annotation. The bean must be thread-safe: Courier
 * calls it from many business threads at once.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Component
public @interface RpcService {

    /** Name of the bean, as with {@link Component#value()}; empty to derive it from the class name. */
    @AliasFor(annotation = Component.class)
    String value() default "";

    /**
     * Interface to export; needed only when the bean implements several. {@code void.class}
     * (the default) means "the only interface the bean implements".
     */
    Class<?> interfaceClass() default void.class;

    /**
     * Version consumers must ask for, empty for none; {@code ${...}} placeholders are resolved.
     * Two beans may export the same interface under different versions.
     */
    String version() default "";

    /** Group consumers must ask for, empty for none; {@code ${...}} placeholders are resolved. */
    String group() default "";

    /** Load-balancing weight advertised for this provider, from 0 to 10 000. */
    int weight() default 100;

    /**
     * Longest a call may run on this provider, for example {@code 2s}; empty (the default) for no
     * limit beyond the caller's own timeout. It caps each call's deadline: a call still queued
     * past it is not run, and calls the method makes to other services get only the time left.
     * {@code ${...}} placeholders are resolved.
     */
    String timeout() default "";
}
