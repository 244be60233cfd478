/**
 * Annotations of the Courier programming model in Spring applications: {@link io.courier.rpc.spring.RpcService}
 * exports a bean, {@link io.courier.rpc.spring.RpcReference} injects a client proxy.
 */
package io.courier.rpc.spring;
