package io.courier.rpc.spring.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The IDE metadata generated from {@link CourierRpcProperties}, and the registration file. */
class ConfigurationMetadataTests {

    @Test
    void everyPropertyHasADescription() throws IOException {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> property : entries(read("META-INF/spring-configuration-metadata.json"), "properties")) {
            String name = (String) property.get("name");
            if (!name.startsWith("courier.rpc.")) {
                continue;
            }
            names.add(name);
            String description = (String) property.getOrDefault("description", "");
            assertThat(description).as(name).isNotBlank().doesNotStartWith("The ");
            if ("java.lang.Boolean".equals(property.get("type"))) {
                assertThat(description).as(name).startsWith("Whether");
            }
        }
        assertThat(names).contains("courier.rpc.server.enabled", "courier.rpc.server.host", "courier.rpc.server.port",
                "courier.rpc.server.io-threads", "courier.rpc.server.worker-threads", "courier.rpc.server.queue-size",
                "courier.rpc.server.max-frame-size", "courier.rpc.server.shutdown-grace",
                "courier.rpc.serialization.type", "courier.rpc.serialization.allowed-classes",
                "courier.rpc.consumer.timeout", "courier.rpc.consumer.retries", "courier.rpc.consumer.connections",
                "courier.rpc.consumer.check", "courier.rpc.registry.address", "courier.rpc.services");
    }

    @Test
    void serializationTypeHasValueHints() throws IOException {
        List<Object> values = new ArrayList<>();
        for (Map<String, Object> hint : entries(read("META-INF/spring-configuration-metadata.json"), "hints")) {
            if ("courier.rpc.serialization.type".equals(hint.get("name"))) {
                entries(hint, "values").forEach(v -> values.add(v.get("value")));
            }
        }
        assertThat(values).containsExactly("kryo", "json");
    }

    @Test
    void autoConfigurationsAreRegistered() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(
                "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains(
                    CourierRpcAutoConfiguration.class.getName(),
                    CourierRpcHealthContributorAutoConfiguration.class.getName(),
                    CourierRpcEndpointAutoConfiguration.class.getName());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Map<String, Object> json, String key) {
        return (List<Map<String, Object>>) json.get(key);
    }

    private Map<String, Object> read(String resource) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return JsonParserFactory.getJsonParser().parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
