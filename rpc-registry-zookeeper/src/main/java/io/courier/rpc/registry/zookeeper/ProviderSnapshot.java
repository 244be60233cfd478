package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last known providers of each service, kept in a local JSON file so that a consumer can
 * start while ZooKeeper is unreachable.
 *
 * <p>Thread-safe (methods are synchronized). The file is replaced atomically: written to a
 * temporary file in the same directory, then moved over the old one, so a crash never leaves
 * half a file. Entries for services this process does not subscribe to are kept, so several
 * runs with different subscriptions share one file. Layout:
 * <pre>{@code
 * {"format":1,"services":[{"interface":"com.acme.Greeter","version":"1.0","group":"",
 *   "providers":[{"host":"10.0.0.5","port":7070,"weight":100,"tags":[],"metadata":{}}]}]}
 * }</pre>
 */
final class ProviderSnapshot {

    private static final Logger log = LoggerFactory.getLogger(ProviderSnapshot.class);
    private static final int FORMAT = 1;

    private final Path file;
    private final ProviderNodeCodec codec;
    private final Map<ServiceKey, List<ProviderInstance>> services;

    private ProviderSnapshot(Path file, ProviderNodeCodec codec, Map<ServiceKey, List<ProviderInstance>> services) {
        this.file = file;
        this.codec = codec;
        this.services = services;
    }

    /** Reads the file if it exists; a missing or unreadable file gives an empty snapshot. */
    static ProviderSnapshot load(Path file, ProviderNodeCodec codec) {
        Map<ServiceKey, List<ProviderInstance>> services = new LinkedHashMap<>();
        try {
            byte[] bytes = Files.readAllBytes(file);
            read(codec, codec.mapper().readTree(bytes), services);
            log.debug("Loaded provider snapshot {} with {} service(s)", file, services.size());
        } catch (NoSuchFileException e) {
            log.debug("No provider snapshot at {} yet", file);
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            // A damaged snapshot must not stop the consumer; the next write replaces it.
            services.clear();
            log.warn("Ignoring unreadable provider snapshot {}: {}", file, e.toString());
        }
        return new ProviderSnapshot(file, codec, services);
    }

    /** Returns the file. */
    Path file() {
        return file;
    }

    /** Returns the providers last recorded for a service, empty when none are known. */
    synchronized List<ProviderInstance> providers(ServiceKey serviceKey) {
        return services.getOrDefault(serviceKey, List.of());
    }

    /** Records the current providers of a service and rewrites the file if they changed. */
    synchronized void update(ServiceKey serviceKey, List<ProviderInstance> providers) {
        if (providers.equals(services.get(serviceKey))) {
            return;
        }
        services.put(serviceKey, List.copyOf(providers));
        try {
            write();
        } catch (IOException | JacksonException e) {
            // Not fatal: the snapshot only helps a later start while ZooKeeper is down.
            log.warn("Could not write provider snapshot {}: {}", file, e.toString());
        }
    }

    private void write() throws IOException {
        ObjectNode root = codec.mapper().createObjectNode();
        root.put("format", FORMAT);
        ArrayNode list = root.putArray("services");
        services.entrySet().stream()
                .sorted(Comparator.comparing(e -> e.getKey().toString()))
                .forEach(e -> {
                    ObjectNode service = list.addObject();
                    service.put("interface", e.getKey().interfaceName());
                    service.put("version", e.getKey().version());
                    service.put("group", e.getKey().group());
                    ArrayNode providers = service.putArray("providers");
                    e.getValue().forEach(p -> providers.add(codec.toJson(p, true)));
                });
        byte[] bytes = codec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);

        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, target.getFileName() + ".", ".tmp");
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void read(ProviderNodeCodec codec, JsonNode root, Map<ServiceKey, List<ProviderInstance>> out) {
        if (root == null || !root.isObject() || !root.path("format").isInt() || root.get("format").intValue() != FORMAT) {
            throw new IllegalArgumentException("expected an object with \"format\":" + FORMAT);
        }
        JsonNode services = root.get("services");
        if (services == null || !services.isArray()) {
            throw new IllegalArgumentException("'services' is not an array");
        }
        for (JsonNode service : services.values()) {
            ServiceKey key = new ServiceKey(service.path("interface").asString(""),
                    service.path("version").asString(""), service.path("group").asString(""));
            List<ProviderInstance> providers = new ArrayList<>();
            for (JsonNode p : service.path("providers").values()) {
                JsonNode host = p.get("host");
                JsonNode port = p.get("port");
                if (host == null || !host.isString() || port == null || !port.isInt()) {
                    throw new IllegalArgumentException("a provider of " + key + " has no host or port");
                }
                providers.add(codec.fromJson(key, host.stringValue(), port.intValue(), p));
            }
            out.put(key, List.copyOf(providers));
        }
    }
}
