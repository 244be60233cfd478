package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.RecordingListener;
import io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.StateRecorder;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.GREETER;
import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.provider;
import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.sessionId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ZooKeeper going away and coming back; each test has a server of its own to stop. */
class ZookeeperOutageTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final String root = ZookeeperTestSupport.uniqueRoot();

    @TempDir
    Path tempDir;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(0, closeable);
        return closeable;
    }

    private ZookeeperRegistry registry(TestingServer server, String params) {
        return closeLater(ZookeeperTestSupport.registry(server.getConnectString(), root, params));
    }

    @Test
    void outageKeepsTheLastProvidersAndChangesFlowAgainAfterRestart() throws Exception {
        TestingServer server = closeLater(ZookeeperTestSupport.server(true));
        ZookeeperRegistry providers = registry(server, "sessionTimeout=3s&connectionTimeout=1s");
        ZookeeperRegistry consumer = registry(server, "sessionTimeout=3s&connectionTimeout=1s&removalDelay=1s");
        ProviderInstance a = provider(GREETER, 7001);
        ProviderInstance b = provider(GREETER, 7002);
        ProviderInstance c = provider(GREETER, 7003);
        RecordingListener listener = new RecordingListener();
        StateRecorder consumerStates = new StateRecorder(consumer);
        StateRecorder providerStates = new StateRecorder(providers);
        providers.register(a);
        providers.register(b);
        CuratorFramework inspector = closeLater(ZookeeperTestSupport.inspector(server.getConnectString()));
        // Both nodes first: registration runs in the background, and the listener's first list must hold both.
        await().atMost(Duration.ofSeconds(10)).until(() -> inspector.checkExists().forPath(providers.paths().providerPath(a)) != null
                && inspector.checkExists().forPath(providers.paths().providerPath(b)) != null);
        inspector.close();
        consumer.subscribe(GREETER, listener);
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(a, b).equals(listener.latest()));

        server.stop();
        // LOST: Curator has given the session up as expired, the worst a silent ZooKeeper can do.
        await().atMost(Duration.ofSeconds(15)).until(() -> consumerStates.seen(ConnectionState.LOST)
                && providerStates.seen(ConnectionState.LOST));
        assertThat(listener.received()).containsExactly(List.of(a, b));

        server.restart();
        await().atMost(Duration.ofSeconds(15)).until(() -> consumerStates.seen(ConnectionState.RECONNECTED)
                && providerStates.seen(ConnectionState.RECONNECTED));
        providers.register(c);

        await().atMost(Duration.ofSeconds(15)).until(() -> List.of(a, b, c).equals(listener.latest()));
        CuratorFramework after = closeLater(ZookeeperTestSupport.inspector(server.getConnectString()));
        // a and b end up owned by the provider's new session, whatever happened to the old one's nodes.
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Stat stat = after.checkExists().forPath(providers.paths().providerPath(a));
            return stat != null && stat.getEphemeralOwner() == sessionId(providers);
        });
        assertThat(listener.latest()).containsExactly(a, b, c);
        assertThat(listener.everReceivedEmpty()).isFalse();
    }

    @Test
    void snapshotLetsAConsumerStartWhileZookeeperIsDown() throws Exception {
        Path snapshot = tempDir.resolve("registry/providers.json");
        String withSnapshot = "sessionTimeout=2s&connectionTimeout=1s&removalDelay=200ms&snapshot=" + snapshot;
        TestingServer server = closeLater(ZookeeperTestSupport.server(true));
        ZookeeperRegistry providers = ZookeeperTestSupport.registry(server.getConnectString(), root,
                "sessionTimeout=2s&connectionTimeout=1s");
        ProviderInstance a = provider(GREETER, 7001);
        ProviderInstance b = provider(GREETER, 7002);
        providers.register(a);
        providers.register(b);
        ZookeeperRegistry firstConsumer = ZookeeperTestSupport.registry(server.getConnectString(), root, withSnapshot);
        RecordingListener first = new RecordingListener();
        firstConsumer.subscribe(GREETER, first);
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(a, b).equals(first.latest()));
        ProviderNodeCodec codec = new ProviderNodeCodec(JsonMapper.builder().build());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProviderSnapshot.load(snapshot, codec).providers(GREETER).equals(List.of(a, b)));
        firstConsumer.close();
        providers.close();
        server.stop();

        ZookeeperRegistry consumer = registry(server, withSnapshot);
        RecordingListener listener = new RecordingListener();
        long subscribing = System.nanoTime();
        consumer.subscribe(GREETER, listener);

        // Subscribing waited at most connectionTimeout for ZooKeeper before falling back on the file.
        assertThat(Duration.ofNanos(System.nanoTime() - subscribing)).isLessThan(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(5)).until(() -> List.of(a, b).equals(listener.latest()));

        server.restart();
        ZookeeperRegistry newProviders = registry(server, "sessionTimeout=2s&connectionTimeout=1s");
        newProviders.register(a);
        await().atMost(Duration.ofSeconds(15)).until(() -> List.of(a).equals(listener.latest()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProviderSnapshot.load(snapshot, codec).providers(GREETER).equals(List.of(a)));
        try (Stream<Path> files = Files.list(snapshot.getParent())) {
            assertThat(files).containsExactly(snapshot);
        }
    }

    @Test
    void registerAndSubscribeWorkBeforeZookeeperIsReachable() throws Exception {
        TestingServer server = closeLater(ZookeeperTestSupport.server(false));
        ZookeeperRegistry providers = registry(server, "sessionTimeout=2s&connectionTimeout=1s");
        ZookeeperRegistry consumer = registry(server, "sessionTimeout=2s&connectionTimeout=1s");
        ProviderInstance a = provider(GREETER, 7001);
        RecordingListener listener = new RecordingListener();

        long calling = System.nanoTime();
        providers.register(a);
        consumer.subscribe(GREETER, listener);
        assertThat(Duration.ofNanos(System.nanoTime() - calling)).isLessThan(Duration.ofMillis(500));
        assertThat(listener.received()).isEmpty();

        server.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> List.of(a).equals(listener.latest()));
    }

    @Test
    void closeReturnsPromptlyWhileZookeeperIsUnreachable() throws Exception {
        TestingServer server = closeLater(ZookeeperTestSupport.server(false));
        ZookeeperRegistry registry = ZookeeperTestSupport.registry(server.getConnectString(), root,
                "sessionTimeout=10s&connectionTimeout=5s");
        registry.register(provider(GREETER, 7001));
        registry.subscribe(GREETER, new RecordingListener());

        long closing = System.nanoTime();
        registry.close();

        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(3));
    }
}
