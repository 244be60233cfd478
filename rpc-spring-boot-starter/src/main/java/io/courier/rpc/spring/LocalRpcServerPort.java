package io.courier.rpc.spring;

import org.springframework.beans.factory.annotation.Value;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects the port the Courier server actually listens on, for tests that set
 * {@code courier.rpc.server.port=0}; like Spring Boot's {@code @LocalServerPort}. A shortcut for
 * {@code @Value("${local.courier.rpc.server.port}")}: the property exists once the server has
 * started, so inject it into test classes (or resolve it lazily), not into beans created before.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Value("${" + RpcServerStartedEvent.PORT_PROPERTY + "}")
public @interface LocalRpcServerPort {
}
