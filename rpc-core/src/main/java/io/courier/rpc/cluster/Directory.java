package io.courier.rpc.cluster;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.RegistryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The routing table of one service on a consumer: its live endpoints, replaced whenever the
 * registry reports a new provider list.
 *
 * <p>Thread-safe. Reads are a volatile snapshot; endpoints that stay in the list keep their
 * statistics across updates.
 */
public final class Directory implements RegistryListener {

    private static final Logger log = LoggerFactory.getLogger(Directory.class);

    private final ServiceKey serviceKey;
    private final List<Consumer<List<Endpoint>>> changeListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstProviders = new CompletableFuture<>();
    private volatile List<Endpoint> endpoints = List.of();

    /** Creates an empty directory for a service. */
    public Directory(ServiceKey serviceKey) {
        this.serviceKey = serviceKey;
    }

    /** Returns the service this directory routes. */
    public ServiceKey serviceKey() {
        return serviceKey;
    }

    /** Returns the current endpoints (an immutable snapshot). */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Returns the endpoint addresses. */
    public List<InetSocketAddress> addresses() {
        return endpoints.stream().map(Endpoint::address).toList();
    }

    /** Completes when the first non-empty provider list arrives. */
    public CompletableFuture<Void> firstProviders() {
        return firstProviders;
    }

    /** Calls {@code listener} with the endpoint list after every change. */
    public void onChange(Consumer<List<Endpoint>> listener) {
        changeListeners.add(listener);
    }

    @Override
    public void onProviders(ServiceKey key, List<ProviderInstance> providers) {
        List<Endpoint> updated;
        synchronized (this) {
            Map<String, Endpoint> current = new HashMap<>();
            for (Endpoint e : endpoints) {
                current.put(e.key(), e);
            }
            updated = new ArrayList<>(providers.size());
            for (ProviderInstance p : providers) {
                Endpoint existing = current.get(p.address());
                if (existing != null) {
                    existing.update(p);
                    updated.add(existing);
                } else {
                    updated.add(new Endpoint(p));
                }
            }
            updated = List.copyOf(updated);
            endpoints = updated;
        }
        log.info("Providers of {}: {}", serviceKey, updated.stream().map(Endpoint::key).toList());
        if (!updated.isEmpty()) {
            firstProviders.complete(null);
        }
        for (Consumer<List<Endpoint>> l : changeListeners) {
            l.accept(updated);
        }
    }

    @Override
    public String toString() {
        return "Directory[" + serviceKey + ", " + endpoints + "]";
    }
}
