/**
 * Spring Boot auto-configuration of Courier RPC: {@code courier.rpc.*} properties, the server
 * lifecycle, {@code @RpcReference} injection, rate and concurrency limits that can be refreshed
 * at runtime, the access log, Micrometer observations, and the Actuator health indicator and
 * endpoint.
 */
package io.courier.rpc.spring.boot.autoconfigure;
