/**
 * Annotations of the Courier programming model in Spring applications: {@link io.courier.rpc.spring.RpcService}
 * exports a bean, {@link io.courier.rpc.spring.RpcReference} injects a client proxy, and
 * {@link io.courier.rpc.spring.ImportRpcReferences} declares client proxies as beans.
 */
package io.courier.rpc.spring;
