package io.courier.rpc.spring;

import org.springframework.context.annotation.Import;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a bean of each listed service interface: the client proxy that calls the remote
 * service, so that it can be injected like any other bean and replaced like any other bean in
 * tests.
 *
 * <pre>{@code
 * @SpringBootApplication
 * @ImportRpcReferences({UserService.class, AuditService.class})
 * class ShopApplication { ... }
 *
 * @Service
 * class Checkout {
 *     Checkout(UserService users) { ... }      // plain constructor injection
 * }
 *
 * @SpringBootTest
 * class CheckoutTests {
 *     @MockitoBean UserService users;           // replaces the proxy bean
 * }
 * }</pre>
 *
 * <p>Put it on a {@code @Configuration} class or on the {@code @SpringBootApplication} class. Each
 * bean is named after the interface's fully qualified name and has the settings of an
 * {@link RpcReference} without attributes: those of {@code courier.rpc.services.<interface>.*},
 * then {@code courier.rpc.consumer.*} and {@code courier.rpc.registry.address}. An
 * {@link RpcReference} without attributes asking for a listed interface gets this bean, so a
 * {@code @MockitoBean} of the interface replaces what it receives as well; one with attributes
 * gets a proxy of its own settings. An interface listed twice, here or on another class, is one
 * bean.
 *
 * <p>There is deliberately no property listing the interfaces: bean definitions are fixed when
 * an application is processed ahead of time, so a list read from the environment would be frozen
 * at build time.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Import(ImportRpcReferencesRegistrar.class)
public @interface ImportRpcReferences {

    /** Service interfaces to declare a client proxy bean of; each must be an interface. */
    Class<?>[] value();
}
