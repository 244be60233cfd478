package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.HostAndPort;
import io.courier.rpc.registry.ProviderInstance;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Converts providers to and from the JSON stored in their nodes (and in the snapshot file).
 *
 * <p>Thread-safe (the mapper is immutable). Node data looks like
 * <pre>{@code {"weight":100,"tags":["canary"],"metadata":{"protocol":"1","serialization":"kryo,json","startTime":"1764097200000"}}}</pre>
 * with tags and metadata sorted, so that equal providers give equal bytes. The address is the
 * node's name, not part of the data. Unknown fields are ignored so that later versions may add
 * some; anything else out of shape is rejected with a reason.
 */
final class ProviderNodeCodec {

    private final JsonMapper mapper;

    ProviderNodeCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    JsonMapper mapper() {
        return mapper;
    }

    /** Returns the node data of a provider. */
    byte[] encode(ProviderInstance instance) {
        return mapper.writeValueAsBytes(toJson(instance, false));
    }

    /**
     * Reads the provider that a node named {@code host:port} with this data announces.
     *
     * @throws IllegalArgumentException saying what is malformed
     */
    ProviderInstance decode(ServiceKey serviceKey, String nodeName, byte[] data) {
        HostAndPort address = HostAndPort.parse("node name", nodeName);
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("node has no data");
        }
        JsonNode json;
        try {
            json = mapper.readTree(data);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("node data is not JSON: " + e.getOriginalMessage());
        }
        return fromJson(serviceKey, address.host(), address.port(), json);
    }

    /** Returns a provider as JSON, with {@code host} and {@code port} when {@code withAddress}. */
    ObjectNode toJson(ProviderInstance instance, boolean withAddress) {
        ObjectNode node = mapper.createObjectNode();
        if (withAddress) {
            node.put("host", instance.host());
            node.put("port", instance.port());
        }
        node.put("weight", instance.weight());
        ArrayNode tags = node.putArray("tags");
        new TreeSet<>(instance.tags()).forEach(tags::add);
        ObjectNode metadata = node.putObject("metadata");
        new TreeMap<>(instance.metadata()).forEach(metadata::put);
        return node;
    }

    /**
     * Reads a provider from JSON at the given address.
     *
     * @throws IllegalArgumentException saying what is malformed
     */
    ProviderInstance fromJson(ServiceKey serviceKey, String host, int port, JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        JsonNode weight = json.get("weight");
        if (weight == null || !weight.isInt()) {
            throw new IllegalArgumentException("'weight' is missing or not an integer");
        }
        Set<String> tags = new LinkedHashSet<>();
        JsonNode tagsNode = json.get("tags");
        if (tagsNode != null && !tagsNode.isNull()) {
            if (!tagsNode.isArray()) {
                throw new IllegalArgumentException("'tags' is not an array");
            }
            for (JsonNode tag : tagsNode.values()) {
                if (!tag.isString()) {
                    throw new IllegalArgumentException("'tags' holds a non-string");
                }
                tags.add(tag.stringValue());
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode metadataNode = json.get("metadata");
        if (metadataNode != null && !metadataNode.isNull()) {
            if (!metadataNode.isObject()) {
                throw new IllegalArgumentException("'metadata' is not an object");
            }
            for (Map.Entry<String, JsonNode> e : metadataNode.properties()) {
                if (!e.getValue().isString()) {
                    throw new IllegalArgumentException("'metadata." + e.getKey() + "' is not a string");
                }
                metadata.put(e.getKey(), e.getValue().stringValue());
            }
        }
        // The record validates port and weight ranges; its message becomes the reason.
        return new ProviderInstance(serviceKey, host, port, weight.intValue(), tags, metadata);
    }
}
