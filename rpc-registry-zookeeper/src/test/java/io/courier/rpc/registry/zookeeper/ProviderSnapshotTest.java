package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderSnapshotTest {

    private static final ServiceKey GREETER = new ServiceKey("com.acme.Greeter", "1.0", "g1");
    private static final ServiceKey BILLING = new ServiceKey("com.acme.Billing", "", "");

    private final ProviderNodeCodec codec = new ProviderNodeCodec(JsonMapper.builder().build());

    @TempDir
    Path dir;

    @Test
    void recordedProvidersAreReadBackByTheNextProcess() throws Exception {
        Path file = dir.resolve("nested/providers.json");
        ProviderInstance a = new ProviderInstance(GREETER, "10.0.0.5", 7070, 50, Set.of("canary"),
                Map.of("serialization", "kryo"));
        ProviderInstance b = ProviderInstance.of(BILLING, "10.0.0.6", 7071);
        ProviderSnapshot snapshot = ProviderSnapshot.load(file, codec);

        snapshot.update(GREETER, List.of(a));
        snapshot.update(BILLING, List.of(b));

        ProviderSnapshot reloaded = ProviderSnapshot.load(file, codec);
        assertThat(reloaded.providers(GREETER)).containsExactly(a);
        assertThat(reloaded.providers(BILLING)).containsExactly(b);
        assertThat(reloaded.providers(new ServiceKey("com.acme.Greeter", "2.0", "g1"))).isEmpty();
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void servicesOfEarlierRunsAreKeptWhenOthersChange() {
        Path file = dir.resolve("providers.json");
        ProviderInstance a = ProviderInstance.of(GREETER, "10.0.0.5", 7070);
        ProviderInstance b = ProviderInstance.of(BILLING, "10.0.0.6", 7071);
        ProviderSnapshot.load(file, codec).update(GREETER, List.of(a));

        ProviderSnapshot.load(file, codec).update(BILLING, List.of(b));

        assertThat(ProviderSnapshot.load(file, codec).providers(GREETER)).containsExactly(a);
    }

    @Test
    void damagedFileIsIgnoredAndReplacedOnTheNextWrite() throws Exception {
        Path file = dir.resolve("providers.json");
        Files.writeString(file, "{\"format\":1,\"services\":[{\"interface\":\"com.acme.Greeter\",\"providers\":[{\"ho",
                StandardCharsets.UTF_8);
        ProviderInstance a = ProviderInstance.of(GREETER, "10.0.0.5", 7070);

        ProviderSnapshot snapshot = ProviderSnapshot.load(file, codec);
        assertThat(snapshot.providers(GREETER)).isEmpty();
        snapshot.update(GREETER, List.of(a));

        assertThat(ProviderSnapshot.load(file, codec).providers(GREETER)).containsExactly(a);
    }
}
