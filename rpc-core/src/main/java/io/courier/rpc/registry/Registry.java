package io.courier.rpc.registry;

import io.courier.rpc.invoke.ServiceKey;

/**
 * Where providers announce themselves and consumers find them.
 *
 * <p>Implementations must be thread-safe. A provider registers each exported service when it
 * starts and unregisters it first when it shuts down; a registry that loses its connection
 * re-registers what was registered and re-subscribes what was subscribed once it is back, and
 * never tells subscribers that providers vanished just because it went silent.
 */
public interface Registry extends AutoCloseable {

    /** Announces a provider; idempotent. */
    void register(ProviderInstance instance);

    /** Withdraws a provider; idempotent. */
    void unregister(ProviderInstance instance);

    /** Starts delivering the providers of a service to {@code listener}, beginning with the current list. */
    void subscribe(ServiceKey serviceKey, RegistryListener listener);

    /** Stops delivering to {@code listener}. */
    void unsubscribe(ServiceKey serviceKey, RegistryListener listener);

    /**
     * Returns how this registry is doing, for health checks; registries without a connection
     * (such as {@code direct://}) are always connected.
     */
    default RegistryHealth health() {
        return RegistryHealth.connected(java.util.Map.of("type", getClass().getSimpleName()));
    }

    /** Withdraws everything this registry registered and releases its resources. */
    @Override
    void close();
}
