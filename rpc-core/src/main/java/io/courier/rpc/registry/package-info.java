/**
 * Service discovery SPI: a {@link io.courier.rpc.registry.Registry} announces
 * {@link io.courier.rpc.registry.ProviderInstance}s and tells
 * {@link io.courier.rpc.registry.RegistryListener}s about changes; a
 * {@link io.courier.rpc.registry.RegistryFactory}, found with {@link java.util.ServiceLoader},
 * creates one from an address such as {@code zookeeper://host:2181}. The embedded
 * {@code direct://host:port} registry needs no server. {@link io.courier.rpc.registry.HostAndPort}
 * is the one address parser.
 */
package io.courier.rpc.registry;
