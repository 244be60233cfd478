package io.courier.rpc.test;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.registry.RegistryListener;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry in the test's memory, for tests of everything above the registry SPI. Thread-safe.
 *
 * <p>One instance plays the part of a whole registry cluster: every server, client and
 * application of a test may share it, and what one provider announces, tags and metadata
 * included, reaches every subscriber at once. Listeners are called on the registering thread
 * while the registry holds its lock, so a provider that unregisters has been withdrawn from every
 * consumer when {@code unregister} returns, and each listener sees the changes in order.
 *
 * <p>As ZooKeeper keeps one node per provider address, a provider is identified by its service
 * key and {@link ProviderInstance#address() address}: registering an address again replaces what
 * it announced, and unregistering withdraws the address whatever else the instance says.
 * Listeners hear only real changes.
 *
 * <p>Servers and clients never close a registry they are given. A Spring context closes a
 * {@code Registry} bean it defines, so applications sharing one instance receive it through
 * {@code registerSingleton}, which the context leaves open.
 */
public final class InMemoryRegistry implements Registry {

    private final Map<ServiceKey, Map<String, ProviderInstance>> providers = new HashMap<>();
    private final Map<ServiceKey, List<RegistryListener>> listeners = new HashMap<>();

    @Override
    public synchronized void register(ProviderInstance instance) {
        ProviderInstance previous = providers.computeIfAbsent(instance.serviceKey(), k -> new LinkedHashMap<>())
                .put(instance.address(), instance);
        if (!instance.equals(previous)) {
            notify(instance.serviceKey());
        }
    }

    @Override
    public synchronized void unregister(ProviderInstance instance) {
        Map<String, ProviderInstance> byAddress = providers.get(instance.serviceKey());
        if (byAddress != null && byAddress.remove(instance.address()) != null) {
            notify(instance.serviceKey());
        }
    }

    @Override
    public synchronized void subscribe(ServiceKey serviceKey, RegistryListener listener) {
        listeners.computeIfAbsent(serviceKey, k -> new CopyOnWriteArrayList<>()).add(listener);
        listener.onProviders(serviceKey, providers(serviceKey));
    }

    @Override
    public synchronized void unsubscribe(ServiceKey serviceKey, RegistryListener listener) {
        List<RegistryListener> subscribed = listeners.get(serviceKey);
        if (subscribed != null) {
            subscribed.remove(listener);
        }
    }

    /** Returns the providers of a service now registered, in the order they first registered. */
    public synchronized List<ProviderInstance> providers(ServiceKey serviceKey) {
        Map<String, ProviderInstance> byAddress = providers.get(serviceKey);
        return byAddress == null ? List.of() : List.copyOf(byAddress.values());
    }

    /**
     * Forgets every provider and listener without telling anyone, as a cluster that is shut
     * down would. Close a shared instance only once all its users have stopped.
     */
    @Override
    public synchronized void close() {
        providers.clear();
        listeners.clear();
    }

    private void notify(ServiceKey serviceKey) {
        List<ProviderInstance> current = providers(serviceKey);
        for (RegistryListener listener : listeners.getOrDefault(serviceKey, List.of())) {
            listener.onProviders(serviceKey, current);
        }
    }
}
