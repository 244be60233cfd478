package io.courier.rpc.test;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.RegistryListener;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared in-memory registry behaves as the registry SPI and ZooKeeper do, so tests can trust it. */
class InMemoryRegistryTest {

    private static final ServiceKey GREETER = new ServiceKey("com.acme.Greeter", "", "");
    private static final ServiceKey OTHER = new ServiceKey("com.acme.Other", "", "");

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final Recorder recorder = new Recorder();

    @Test
    void subscribersGetTheCurrentListAndEveryChangeInOrder() {
        ProviderInstance a = ProviderInstance.of(GREETER, "127.0.0.1", 7001);
        ProviderInstance b = ProviderInstance.of(GREETER, "127.0.0.1", 7002);
        registry.register(a);
        registry.subscribe(GREETER, recorder);
        registry.register(b);
        registry.register(ProviderInstance.of(OTHER, "127.0.0.1", 7003));
        registry.unregister(a);

        assertThat(recorder.received).containsExactly(List.of(a), List.of(a, b), List.of(b));
        assertThat(registry.providers(GREETER)).containsExactly(b);
    }

    @Test
    void anAddressIsOneProviderWhatItAnnounces() {
        ProviderInstance plain = ProviderInstance.of(GREETER, "127.0.0.1", 7001);
        ProviderInstance canary = new ProviderInstance(GREETER, "127.0.0.1", 7001, 100, Set.of("canary"), Map.of());
        registry.subscribe(GREETER, recorder);
        registry.register(plain);
        registry.register(plain);
        registry.register(canary);
        registry.unregister(plain);
        registry.unregister(plain);

        // Registering again changes nothing; a new announcement replaces; withdrawing goes by address.
        assertThat(recorder.received).containsExactly(List.of(), List.of(plain), List.of(canary), List.of());
    }

    @Test
    void unsubscribedListenersHearNothingMore() {
        registry.subscribe(GREETER, recorder);
        registry.unsubscribe(GREETER, recorder);
        registry.register(ProviderInstance.of(GREETER, "127.0.0.1", 7001));

        assertThat(recorder.received).containsExactly(List.of());
    }

    private static final class Recorder implements RegistryListener {

        final List<List<ProviderInstance>> received = new CopyOnWriteArrayList<>();

        @Override
        public void onProviders(ServiceKey serviceKey, List<ProviderInstance> providers) {
            received.add(providers);
        }
    }
}
