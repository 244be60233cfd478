package io.courier.rpc.spring.test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Imports Courier's auto-configurations and the {@link RpcFaults} bean (installed on the server and
 * the client): what {@link RpcTest @RpcTest} uses, for a test that assembles its own context.
 * The list is in {@code META-INF/spring/io.courier.rpc.spring.test.AutoConfigureRpc.imports}.
 * It does not switch the transport: {@code @RpcTest} does that.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureRpc {
}
