package io.courier.rpc.registry;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.invoke.ServiceKey;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One provider of one service as a registry advertises it: where it listens and how consumers
 * should treat it.
 *
 * <p>Thread-safe (immutable).
 *
 * @param serviceKey the service provided
 * @param host the host consumers connect to
 * @param port the port consumers connect to
 * @param weight relative share of traffic, 0 to 10 000 (0 receives none unless it is the only choice)
 * @param tags labels for routing, e.g. {@code canary}
 * @param metadata other facts, e.g. {@code serialization}, {@code protocol}, {@code startTime}
 */
public record ProviderInstance(ServiceKey serviceKey, String host, int port, int weight, Set<String> tags,
        Map<String, String> metadata) {

    /** Metadata key a provider sets to {@code "true"} when its port requires TLS. */
    public static final String METADATA_TLS = "tls";

    /** Validates and copies the parts. */
    public ProviderInstance {
        Objects.requireNonNull(serviceKey, "serviceKey");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new InvalidOptionException("port", port, "1..65535");
        }
        if (weight < 0 || weight > 10_000) {
            throw new InvalidOptionException("weight", weight, "0..10000");
        }
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** Returns an untagged instance with the default weight of 100. */
    public static ProviderInstance of(ServiceKey serviceKey, String host, int port) {
        return new ProviderInstance(serviceKey, host, port, 100, Set.of(), Map.of());
    }

    /** Whether the provider announced that its port requires TLS ({@value #METADATA_TLS} = {@code true}). */
    public boolean requiresTls() {
        return "true".equals(metadata.get(METADATA_TLS));
    }

    /** Returns {@code host:port}. */
    public String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
