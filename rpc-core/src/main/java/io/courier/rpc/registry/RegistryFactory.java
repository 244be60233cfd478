package io.courier.rpc.registry;

import java.net.URI;

/**
 * Creates registries for one address scheme, e.g. {@code zookeeper}. Implementations are found
 * with {@link java.util.ServiceLoader}: a registry module lists its factory in
 * {@code META-INF/services/io.courier.rpc.registry.RegistryFactory}.
 *
 * <p>Implementations must be thread-safe and cheap to construct.
 */
public interface RegistryFactory {

    /** Returns the URI scheme this factory serves, e.g. {@code zookeeper}. */
    String scheme();

    /**
     * Creates a registry for an address such as {@code zookeeper://10.0.0.1:2181,10.0.0.2:2181/courier}.
     *
     * @throws IllegalArgumentException when the address is invalid for this scheme
     */
    Registry create(URI address);
}
