package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderNodeCodecTest {

    private static final ServiceKey KEY = new ServiceKey("com.acme.Greeter", "1.0", "g1");

    private final ProviderNodeCodec codec = new ProviderNodeCodec(JsonMapper.builder().build());

    @Test
    void providerSurvivesTheRoundTripThroughItsNode() {
        ProviderInstance instance = new ProviderInstance(KEY, "10.0.0.5", 7070, 250, Set.of("canary", "eu"),
                Map.of("serialization", "kryo", "protocol", "1", "startTime", "2025-01-01T00:00:00Z"));

        byte[] data = codec.encode(instance);

        assertThat(codec.decode(KEY, "10.0.0.5:7070", data)).isEqualTo(instance);
        assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo("{\"weight\":250,\"tags\":[\"canary\",\"eu\"],"
                + "\"metadata\":{\"protocol\":\"1\",\"serialization\":\"kryo\",\"startTime\":\"2025-01-01T00:00:00Z\"}}");
    }

    @Test
    void equalProvidersGiveEqualBytesWhateverTheirOrder() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("z", "1");
        metadata.put("a", "2");
        Set<String> tags = new LinkedHashSet<>(List.of("b", "a"));
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("a", "2");
        reversed.put("z", "1");

        assertThat(codec.encode(new ProviderInstance(KEY, "h", 1, 1, tags, metadata)))
                .isEqualTo(codec.encode(new ProviderInstance(KEY, "h", 1, 1, Set.of("a", "b"), reversed)));
    }

    @Test
    void ipv6NodeNamesAndMissingOptionalPartsAreRead() {
        ProviderInstance instance = codec.decode(KEY, "[::1]:7070",
                "{\"weight\":5,\"zone\":\"ignored: added by a later version\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(instance).isEqualTo(new ProviderInstance(KEY, "::1", 7070, 5, Set.of(), Map.of()));
        assertThat(new ZookeeperPaths("/courier").providerPath(instance))
                .isEqualTo("/courier/g1%2Fcom.acme.Greeter%3A1.0/providers/[::1]:7070");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "10.0.0.5:7070 | not json                                   | node data is not JSON",
        "10.0.0.5:7070 | ``                                         | node has no data",
        "10.0.0.5:7070 | [1]                                        | expected a JSON object",
        "10.0.0.5:7070 | {}                                         | 'weight' is missing or not an integer",
        "10.0.0.5:7070 | {\"weight\":\"100\"}                       | 'weight' is missing or not an integer",
        "10.0.0.5:7070 | {\"weight\":10001}                         | weight: 10001 (expected: 0..10000)",
        "10.0.0.5:7070 | {\"weight\":1,\"tags\":\"a\"}              | 'tags' is not an array",
        "10.0.0.5:7070 | {\"weight\":1,\"tags\":[1]}                | 'tags' holds a non-string",
        "10.0.0.5:7070 | {\"weight\":1,\"metadata\":[]}             | 'metadata' is not an object",
        "10.0.0.5:7070 | {\"weight\":1,\"metadata\":{\"a\":1}}      | 'metadata.a' is not a string",
        "10.0.0.5      | {\"weight\":1}                             | node name: '10.0.0.5' (expected: host:port, IPv6 in brackets)",
        "10.0.0.5:http | {\"weight\":1}                             | node name: '10.0.0.5:http' has a bad port",
        "10.0.0.5:0    | {\"weight\":1}                             | node name: '10.0.0.5:0' has a bad port (expected: '10.0.0.5:0' to end in a port 1..65535)",
    })
    void malformedNodesAreRejectedWithTheReason(String name, String data, String reason) {
        assertThatThrownBy(() -> codec.decode(KEY, name, data.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
