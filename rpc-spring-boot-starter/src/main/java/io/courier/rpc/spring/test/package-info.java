/**
 * Test support for applications that use Courier: the {@link io.courier.rpc.spring.test.RpcTest @RpcTest}
 * slice (provider and consumer in one context over the in-JVM local transport, no TCP port) and
 * {@link io.courier.rpc.spring.test.RpcFaults}, scripted faults that travel the real call path.
 * Needs Spring Boot's test support on the class path ({@code spring-boot-starter-test}).
 */
package io.courier.rpc.spring.test;
