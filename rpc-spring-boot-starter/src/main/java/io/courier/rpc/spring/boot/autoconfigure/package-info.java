/**
 * Spring Boot auto-configuration of Courier RPC: {@code courier.rpc.*} properties, the server
 * lifecycle, {@code @RpcReference} injection, and the Actuator health indicator and endpoint.
 */
package io.courier.rpc.spring.boot.autoconfigure;
