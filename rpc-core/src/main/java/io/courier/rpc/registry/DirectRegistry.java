package io.courier.rpc.registry;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.invoke.ServiceKey;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A registry without a server: every service is provided by a fixed list of addresses, written
 * {@code direct://host:port[,host:port…]}; an address may carry routing tags, as in
 * {@code direct://127.0.0.1:7070,canary@127.0.0.1:7071} (several tags joined by {@code +}).
 * Registering does nothing.
 *
 * <p>Thread-safe (immutable).
 */
public final class DirectRegistry implements Registry {

    private static final String SYNTAX = "direct://[tag@]host:port[,[tag@]host:port...]";

    private record Address(HostAndPort hostAndPort, java.util.Set<String> tags) {
    }

    private final List<Address> addresses;

    private DirectRegistry(List<Address> addresses) {
        this.addresses = addresses;
    }

    /**
     * Parses {@code direct://host:port[,host:port…]} (the scheme may be left out).
     *
     * @throws InvalidOptionException when an address is not {@code host:port}
     */
    public static DirectRegistry parse(String address) {
        String list = address.strip();
        if (list.startsWith("direct://")) {
            list = list.substring("direct://".length());
        }
        List<Address> parsed = new ArrayList<>();
        for (String part : list.split(",")) {
            String hostPort = part.strip();
            if (hostPort.isEmpty()) {
                continue;
            }
            java.util.Set<String> tags = java.util.Set.of();
            int at = hostPort.indexOf('@');
            if (at >= 0) {
                tags = new java.util.LinkedHashSet<>();
                for (String tag : hostPort.substring(0, at).split("\\+")) {
                    if (!tag.isBlank()) {
                        tags.add(tag.strip());
                    }
                }
                hostPort = hostPort.substring(at + 1);
            }
            HostAndPort parsedAddress;
            try {
                parsedAddress = HostAndPort.parse("registry address", hostPort);
            } catch (InvalidOptionException e) {
                throw new InvalidOptionException("registry address", address,
                        e.problem().isEmpty() ? "" : e.problem() + " in '" + hostPort + "'", SYNTAX);
            }
            parsed.add(new Address(parsedAddress, java.util.Set.copyOf(tags)));
        }
        if (parsed.isEmpty()) {
            throw new InvalidOptionException("registry address", address, SYNTAX);
        }
        return new DirectRegistry(List.copyOf(parsed));
    }

    /** Returns the providers this registry reports for any service. */
    public List<ProviderInstance> providers(ServiceKey serviceKey) {
        List<ProviderInstance> providers = new ArrayList<>();
        for (Address a : addresses) {
            providers.add(new ProviderInstance(serviceKey, a.hostAndPort().host(), a.hostAndPort().port(), 100, a.tags(), java.util.Map.of()));
        }
        return List.copyOf(providers);
    }

    @Override
    public void register(ProviderInstance instance) {
        // Nothing to announce: consumers are configured with the addresses.
    }

    @Override
    public void unregister(ProviderInstance instance) {
        // See register.
    }

    @Override
    public void subscribe(ServiceKey serviceKey, RegistryListener listener) {
        listener.onProviders(serviceKey, providers(serviceKey));
    }

    @Override
    public void unsubscribe(ServiceKey serviceKey, RegistryListener listener) {
        // Static: nothing is ever delivered after subscribe.
    }

    @Override
    public void close() {
        // Holds no resources.
    }

    /** Factory for the {@code direct} scheme. */
    public static final class Factory implements RegistryFactory {

        @Override
        public String scheme() {
            return "direct";
        }

        @Override
        public Registry create(URI address) {
            return parse(address.toString());
        }
    }
}
