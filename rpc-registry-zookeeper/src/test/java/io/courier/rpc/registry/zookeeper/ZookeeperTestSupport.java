package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.RegistryListener;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Servers, clients and recorders shared by the registry tests. */
final class ZookeeperTestSupport {

    /** Short ticks allow session timeouts down to 1 s (ZooKeeper's minimum is two ticks). */
    static final int TICK_MILLIS = 500;

    static final ServiceKey GREETER = new ServiceKey("com.acme.Greeter", "1.0", "");

    private ZookeeperTestSupport() {
    }

    /** Returns a server on a free port with short ticks, started or not. */
    static TestingServer server(boolean start) throws Exception {
        return new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MILLIS, -1, null, "127.0.0.1"),
                start);
    }

    /** Returns a registry root no other test uses, so tests can share a server. */
    static String uniqueRoot() {
        return "/courier-test-" + UUID.randomUUID();
    }

    static ZookeeperRegistry registry(String connectString, String root, String params) {
        return ZookeeperRegistry.create(URI.create("zookeeper://" + connectString + root + "?" + params));
    }

    /** Returns a plain client for looking at (or tampering with) nodes directly. */
    static CuratorFramework inspector(String connectString) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.newClient(connectString, 5000, 2000, new RetryOneTime(100));
        client.start();
        if (!client.blockUntilConnected(10, TimeUnit.SECONDS)) {
            client.close();
            throw new IllegalStateException("Could not connect to " + connectString);
        }
        return client;
    }

    static ProviderInstance provider(ServiceKey key, int port) {
        return new ProviderInstance(key, "127.0.0.1", port, 100, Set.of(), Map.of("serialization", "kryo"));
    }

    static long sessionId(ZookeeperRegistry registry) throws Exception {
        return registry.client().getZookeeperClient().getZooKeeper().getSessionId();
    }

    /** Records every list a registry delivers. */
    static final class RecordingListener implements RegistryListener {

        private final List<List<ProviderInstance>> received = new CopyOnWriteArrayList<>();

        @Override
        public void onProviders(ServiceKey serviceKey, List<ProviderInstance> providers) {
            received.add(providers);
        }

        /** Returns every list received, oldest first. */
        List<List<ProviderInstance>> received() {
            return List.copyOf(received);
        }

        /** Returns the last list received, or {@code null} before the first. */
        List<ProviderInstance> latest() {
            List<List<ProviderInstance>> all = received();
            return all.isEmpty() ? null : all.get(all.size() - 1);
        }

        /** Returns the addresses of the last list received, empty before the first. */
        List<String> latestAddresses() {
            List<ProviderInstance> latest = latest();
            return latest == null ? List.of() : latest.stream().map(ProviderInstance::address).toList();
        }

        boolean everReceivedEmpty() {
            return received().stream().anyMatch(List::isEmpty);
        }
    }

    /** Records the connection states a registry's client goes through. */
    static final class StateRecorder {

        private final List<ConnectionState> states = new CopyOnWriteArrayList<>();

        StateRecorder(ZookeeperRegistry registry) {
            registry.client().getConnectionStateListenable().addListener((c, state) -> states.add(state));
        }

        boolean seen(ConnectionState state) {
            return states.contains(state);
        }

        void clear() {
            states.clear();
        }
    }
}
