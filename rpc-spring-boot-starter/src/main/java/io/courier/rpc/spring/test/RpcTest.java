package io.courier.rpc.spring.test;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test of an application's Courier services and of the beans that call them, in one context with
 * no TCP port: like {@code @WebMvcTest} for Courier.
 *
 * <pre>{@code
 * @RpcTest(services = UserServiceImpl.class)
 * class UserClientTests {
 *     @Autowired UserClient client;   // has an @RpcReference UserService
 *     @Autowired RpcFaults faults;
 *     @MockitoBean UserRepository users;
 *
 *     @Test
 *     void retriesABusyProvider() {
 *         faults.on(UserService.class, "get").next(2).fail(RpcErrorCode.SERVER_BUSY);
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p><b>What the context holds.</b> Full auto-configuration is off; only Courier's
 * auto-configurations and {@link RpcFaults} are imported ({@link AutoConfigureRpc}). Component
 * scanning from the application's {@code @SpringBootApplication} keeps only:
 * <ul>
 * <li>the {@link io.courier.rpc.spring.RpcService @RpcService} classes named in {@link #services()},
 *     or every {@code @RpcService} class when none is named;</li>
 * <li>the beans that call Courier services: classes with an
 *     {@link io.courier.rpc.spring.RpcReference @RpcReference} field, constructor or method
 *     parameter, and classes annotated {@link io.courier.rpc.spring.ImportRpcReferences @ImportRpcReferences};</li>
 * <li>whatever {@link #includeFilters()} add, less what {@link #excludeFilters()} remove.</li>
 * </ul>
 * Other beans those need (repositories, clocks) come from the test: {@code @MockitoBean},
 * {@code @Import} or a {@code @TestConfiguration}.
 *
 * <p><b>How calls travel.</b> Server and client use {@link io.courier.rpc.config.Transport#LOCAL}:
 * real Courier connections over Netty's in-JVM channels, so serialization, interceptors, timeouts,
 * retries and failover run as in production, and no TCP port (7070 or any) is bound. The server
 * gets a synthetic port unique in the JVM, and the registry address is {@code direct://} that
 * port, so every reference reaches the services in the context. These are set as properties
 * ({@code courier.rpc.server.transport}, {@code .host}, {@code .port},
 * {@code courier.rpc.consumer.transport}, {@code courier.rpc.registry.address},
 * {@code courier.rpc.server.shutdown-grace}) that win over the application's configuration but not
 * over the test's own ({@link #properties()}, {@code @TestPropertySource}); a port set there is the
 * one the registry address names.
 *
 * <p>The {@link RpcFaults} bean is installed on both sides and reset after each test method.
 * Like other slices, contexts with the same configuration are cached and shared between test classes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(RpcTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(RpcTypeExcludeFilter.class)
@ContextCustomizerFactories(RpcTestContextCustomizerFactory.class)
@AutoConfigureRpc
@ImportAutoConfiguration
public @interface RpcTest {

    /** Properties in {@code key=value} form added to the environment before the test runs. */
    String[] properties() default {};

    /** Alias for {@link #services()}. */
    @AliasFor("services")
    Class<?>[] value() default {};

    /** The {@code @RpcService} classes to include; empty for every {@code @RpcService} class. */
    @AliasFor("value")
    Class<?>[] services() default {};

    /** Whether the default rules above apply; {@code false} keeps only {@link #includeFilters()}. */
    boolean useDefaultFilters() default true;

    /** Filters adding beans to the ones the default rules keep. */
    Filter[] includeFilters() default {};

    /** Filters removing beans the other rules would keep. */
    Filter[] excludeFilters() default {};

    /** Auto-configuration classes to leave out. */
    @AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
    Class<?>[] excludeAutoConfiguration() default {};
}
