package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.registry.RegistryListener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A registry in the test's memory, shared by the applications of one test: what providers
 * announce, with their tags, reaches the consumers' listeners at once.
 *
 * <p>Thread-safe.
 */
final class SharedRegistry implements Registry {

    private final Map<ServiceKey, List<ProviderInstance>> providers = new HashMap<>();
    private final Map<ServiceKey, List<RegistryListener>> listeners = new HashMap<>();

    @Override
    public synchronized void register(ProviderInstance instance) {
        providers.computeIfAbsent(instance.serviceKey(), k -> new ArrayList<>()).add(instance);
        notify(instance.serviceKey());
    }

    @Override
    public synchronized void unregister(ProviderInstance instance) {
        providers.getOrDefault(instance.serviceKey(), new ArrayList<>())
                .removeIf(p -> p.address().equals(instance.address()));
        notify(instance.serviceKey());
    }

    @Override
    public synchronized void subscribe(ServiceKey serviceKey, RegistryListener listener) {
        listeners.computeIfAbsent(serviceKey, k -> new ArrayList<>()).add(listener);
        listener.onProviders(serviceKey, List.copyOf(providers.getOrDefault(serviceKey, List.of())));
    }

    @Override
    public synchronized void unsubscribe(ServiceKey serviceKey, RegistryListener listener) {
        listeners.getOrDefault(serviceKey, new ArrayList<>()).remove(listener);
    }

    @Override
    public void close() {
        // Outlives the applications of a test, which all share it.
    }

    private void notify(ServiceKey serviceKey) {
        List<ProviderInstance> current = List.copyOf(providers.getOrDefault(serviceKey, List.of()));
        listeners.getOrDefault(serviceKey, List.of()).forEach(l -> l.onProviders(serviceKey, current));
    }
}
