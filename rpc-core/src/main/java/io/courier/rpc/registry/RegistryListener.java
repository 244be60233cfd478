package io.courier.rpc.registry;

import io.courier.rpc.invoke.ServiceKey;

import java.util.List;

/**
 * Receives the providers of a subscribed service.
 *
 * <p>Implementations must be thread-safe; registries call them from their own threads.
 */
@FunctionalInterface
public interface RegistryListener {

    /**
     * Called with the complete current list of providers whenever it changes, and once on
     * subscription. An empty list means the registry positively knows of no provider; a
     * registry that cannot be reached says nothing rather than sending an empty list.
     */
    void onProviders(ServiceKey serviceKey, List<ProviderInstance> providers);
}
