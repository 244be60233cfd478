package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.registry.Registry;
import io.courier.rpc.registry.RegistryFactory;

import java.net.URI;

/**
 * Creates {@link ZookeeperRegistry ZooKeeper registries} for {@code zookeeper://} addresses; found
 * by {@code Registries} through {@link java.util.ServiceLoader}.
 *
 * <p>Thread-safe (stateless).
 */
public final class ZookeeperRegistryFactory implements RegistryFactory {

    /** Creates the factory; called by {@link java.util.ServiceLoader}. */
    public ZookeeperRegistryFactory() {
    }

    @Override
    public String scheme() {
        return ZookeeperAddress.SCHEME;
    }

    /**
     * Creates a registry for {@code zookeeper://[user:password@]host:port[,host:port...][/root][?params]}
     * and starts connecting in the background.
     *
     * @throws IllegalArgumentException when the address is invalid
     */
    @Override
    public Registry create(URI address) {
        return ZookeeperRegistry.create(address);
    }
}
