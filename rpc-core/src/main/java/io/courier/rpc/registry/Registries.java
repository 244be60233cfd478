package io.courier.rpc.registry;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.invoke.ServiceKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Creates registries from configuration addresses, choosing the implementation by scheme.
 *
 * <p>Thread-safe (stateless). Several registries may be listed, separated by {@code ;}: a
 * provider registers with each, a consumer sees the union of their providers.
 */
public final class Registries {

    private static final Logger log = LoggerFactory.getLogger(Registries.class);

    private Registries() {
    }

    /**
     * Creates the registry for an address such as {@code direct://127.0.0.1:7070},
     * {@code zookeeper://127.0.0.1:2181} or both separated by {@code ;}.
     *
     * @throws InvalidOptionException for an unknown scheme (naming the module to add) or a bad address
     */
    public static Registry create(String addresses, ClassLoader classLoader) {
        List<Registry> registries = new ArrayList<>();
        Map<String, RegistryFactory> factories = factories(classLoader);
        try {
            for (String address : addresses.split(";")) {
                String trimmed = address.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int colon = trimmed.indexOf("://");
                String scheme = colon > 0 ? trimmed.substring(0, colon) : "direct";
                RegistryFactory factory = factories.get(scheme);
                if (factory == null) {
                    throw new InvalidOptionException("registry address", trimmed, "uses unknown scheme '" + scheme
                            + "'", "one of " + new TreeSet<>(factories.keySet()) + "; zookeeper needs the"
                            + " io.courier:rpc-registry-zookeeper module");
                }
                registries.add(factory.create(colon > 0 ? URI.create(trimmed) : URI.create("direct://" + trimmed)));
            }
        } catch (RuntimeException e) {
            registries.forEach(Registry::close);
            throw e;
        }
        if (registries.isEmpty()) {
            throw new InvalidOptionException("registry address", addresses, "scheme://...");
        }
        return registries.size() == 1 ? registries.get(0) : new CompositeRegistry(registries);
    }

    private static Map<String, RegistryFactory> factories(ClassLoader classLoader) {
        Map<String, RegistryFactory> factories = new HashMap<>();
        factories.put("direct", new DirectRegistry.Factory());
        for (RegistryFactory f : ServiceLoader.load(RegistryFactory.class, classLoader)) {
            factories.put(f.scheme(), f);
        }
        return factories;
    }

    /** Registers with all, and merges what all report. */
    private static final class CompositeRegistry implements Registry {

        private final List<Registry> registries;
        private final Map<List<Object>, Map<Registry, RegistryListener>> adapters = new HashMap<>();

        CompositeRegistry(List<Registry> registries) {
            this.registries = List.copyOf(registries);
        }

        @Override
        public void register(ProviderInstance instance) {
            registries.forEach(r -> r.register(instance));
        }

        @Override
        public void unregister(ProviderInstance instance) {
            registries.forEach(r -> r.unregister(instance));
        }

        @Override
        public synchronized void subscribe(ServiceKey serviceKey, RegistryListener listener) {
            Map<Registry, List<ProviderInstance>> latest = new HashMap<>();
            Map<Registry, RegistryListener> perRegistry = new HashMap<>();
            for (Registry r : registries) {
                RegistryListener adapter = (key, providers) -> {
                    List<ProviderInstance> union = new ArrayList<>();
                    synchronized (latest) {
                        latest.put(r, providers);
                        latest.values().forEach(union::addAll);
                    }
                    listener.onProviders(key, List.copyOf(union));
                };
                perRegistry.put(r, adapter);
            }
            adapters.put(List.of(serviceKey, listener), perRegistry);
            perRegistry.forEach((r, adapter) -> r.subscribe(serviceKey, adapter));
        }

        @Override
        public synchronized void unsubscribe(ServiceKey serviceKey, RegistryListener listener) {
            Map<Registry, RegistryListener> perRegistry = adapters.remove(List.of(serviceKey, listener));
            if (perRegistry != null) {
                perRegistry.forEach((r, adapter) -> r.unsubscribe(serviceKey, adapter));
            }
        }

        /** The worst state of the parts, with each part's health in the details. */
        @Override
        public RegistryHealth health() {
            RegistryHealth.State worst = RegistryHealth.State.CONNECTED;
            Map<String, Object> details = new LinkedHashMap<>();
            for (int i = 0; i < registries.size(); i++) {
                RegistryHealth part = registries.get(i).health();
                if (part.state().compareTo(worst) > 0) {
                    worst = part.state();
                }
                Map<String, Object> partDetails = new LinkedHashMap<>(part.details());
                partDetails.put("state", part.state());
                details.put("registry" + (i + 1), partDetails);
            }
            return new RegistryHealth(worst, details);
        }

        @Override
        public void close() {
            for (Registry r : registries) {
                try {
                    r.close();
                } catch (RuntimeException e) {
                    log.warn("Closing registry {} failed", r, e);
                }
            }
        }
    }
}
