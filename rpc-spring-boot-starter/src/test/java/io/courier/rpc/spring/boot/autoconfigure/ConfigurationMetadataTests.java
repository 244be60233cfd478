package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.cluster.ClusterMode;
import io.courier.rpc.cluster.LoadBalancers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
                "courier.rpc.consumer.check", "courier.rpc.registry.address", "courier.rpc.services",
                "courier.rpc.consumer.cluster", "courier.rpc.consumer.tag", "courier.rpc.consumer.fallback-to-untagged",
                "courier.rpc.server.rate-limits", "courier.rpc.server.concurrency-limits",
                "courier.rpc.consumer.rate-limits", "courier.rpc.access-log.enabled", "courier.rpc.access-log.sample-rate",
                "courier.rpc.access-log.log-arguments", "courier.rpc.observation.enabled",
                "courier.rpc.server.http.enabled", "courier.rpc.server.http.console-enabled",
                "courier.rpc.server.http.console-path", "courier.rpc.server.http.max-request-size",
                "courier.rpc.consumer.attempt-timeout", "courier.rpc.consumer.hedge-delay",
                "courier.rpc.consumer.hedge-attempts", "courier.rpc.consumer.outlier-detection.enabled",
                "courier.rpc.consumer.outlier-detection.consecutive-failures",
                "courier.rpc.consumer.outlier-detection.failure-rate-percent",
                "courier.rpc.consumer.outlier-detection.failure-rate-window",
                "courier.rpc.consumer.outlier-detection.failure-rate-minimum-calls",
                "courier.rpc.consumer.outlier-detection.base-ejection-time",
                "courier.rpc.consumer.outlier-detection.max-ejection-time",
                "courier.rpc.consumer.outlier-detection.max-ejection-percent");
    }

    @Test
    void serializationTypeHasValueHints() throws IOException {
        assertThat(hintValues("courier.rpc.serialization.type")).containsExactly("kryo", "json");
    }

    @Test
    void loadBalancerAndClusterHaveValueHints() throws IOException {
        assertThat(hintValues("courier.rpc.consumer.load-balancer"))
                .containsExactlyInAnyOrderElementsOf(
                        java.util.Arrays.stream(LoadBalancers.values()).map(LoadBalancers::propertyName).toList());
        assertThat(hintValues("courier.rpc.consumer.cluster")).containsExactly("failover", "failfast", "failsafe");
    }

    @Test
    void loadBalancerAndClusterAreEnums() throws IOException {
        Map<String, Map<String, Object>> properties = new HashMap<>();
        entries(read("META-INF/spring-configuration-metadata.json"), "properties")
                .forEach(p -> properties.put((String) p.get("name"), p));
        assertThat(properties.get("courier.rpc.consumer.load-balancer"))
                .containsEntry("type", LoadBalancers.class.getName());
        assertThat(properties.get("courier.rpc.consumer.cluster")).containsEntry("type", ClusterMode.class.getName());
    }

    private List<Object> hintValues(String property) throws IOException {
        List<Object> values = new ArrayList<>();
        for (Map<String, Object> hint : entries(read("META-INF/spring-configuration-metadata.json"), "hints")) {
            if (property.equals(hint.get("name"))) {
                entries(hint, "values").forEach(v -> values.add(v.get("value")));
            }
        }
        return values;
    }

    @Test
    void autoConfigurationsAreRegistered() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(
                "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains(
                    CourierRpcAutoConfiguration.class.getName(),
                    CourierRpcObservationAutoConfiguration.class.getName(),
                    CourierRpcMetricsAutoConfiguration.class.getName(),
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
