package io.courier.rpc.cluster;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.registry.RegistryListener;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A registry in memory, for tests of everything above the registry SPI. */
final class InMemoryRegistry implements Registry {

    private final Map<ServiceKey, Set<ProviderInstance>> providers = new ConcurrentHashMap<>();
    private final Map<ServiceKey, List<RegistryListener>> listeners = new ConcurrentHashMap<>();

    @Override
    public synchronized void register(ProviderInstance instance) {
        providers.computeIfAbsent(instance.serviceKey(), k -> new LinkedHashSet<>()).add(instance);
        notify(instance.serviceKey());
    }

    @Override
    public synchronized void unregister(ProviderInstance instance) {
        Set<ProviderInstance> set = providers.get(instance.serviceKey());
        if (set != null && set.remove(instance)) {
            notify(instance.serviceKey());
        }
    }

    @Override
    public synchronized void subscribe(ServiceKey serviceKey, RegistryListener listener) {
        listeners.computeIfAbsent(serviceKey, k -> new CopyOnWriteArrayList<>()).add(listener);
        listener.onProviders(serviceKey, List.copyOf(providers.getOrDefault(serviceKey, Set.of())));
    }

    @Override
    public synchronized void unsubscribe(ServiceKey serviceKey, RegistryListener listener) {
        listeners.getOrDefault(serviceKey, new ArrayList<>()).remove(listener);
    }

    private void notify(ServiceKey key) {
        List<ProviderInstance> list = List.copyOf(providers.getOrDefault(key, Set.of()));
        listeners.getOrDefault(key, List.of()).forEach(l -> l.onProviders(key, list));
    }

    @Override
    public void close() {
        providers.clear();
    }
}
