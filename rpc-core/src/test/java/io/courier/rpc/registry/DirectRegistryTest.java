package io.courier.rpc.registry;

import io.courier.rpc.invoke.ServiceKey;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectRegistryTest {

    private static final ServiceKey KEY = ServiceKey.of(Runnable.class, "1.0", "g");

    @Test
    void parsesAddressesWithOptionalTags() {
        DirectRegistry registry = DirectRegistry.parse("direct://127.0.0.1:7070, canary+blue@10.0.0.2:7071,[::1]:7072");
        List<ProviderInstance> providers = new ArrayList<>();
        registry.subscribe(KEY, (key, list) -> providers.addAll(list));
        assertThat(providers).extracting(ProviderInstance::address)
                .containsExactly("127.0.0.1:7070", "10.0.0.2:7071", "[::1]:7072");
        assertThat(providers.get(0).tags()).isEmpty();
        assertThat(providers.get(1).tags()).isEqualTo(Set.of("canary", "blue"));
        assertThat(providers).allSatisfy(p -> assertThat(p.serviceKey()).isEqualTo(KEY));
    }

    @Test
    void rejectsBadAddressesReadably() {
        assertThatThrownBy(() -> DirectRegistry.parse("direct://localhost")).hasMessageContaining("expected: direct://");
        assertThatThrownBy(() -> DirectRegistry.parse("direct://h:99999")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> DirectRegistry.parse("direct://")).hasMessageContaining("expected: direct://");
        assertThatThrownBy(() -> Registries.create("etcd://h:1", getClass().getClassLoader()))
                .hasMessageContaining("unknown scheme 'etcd'");
    }
}
