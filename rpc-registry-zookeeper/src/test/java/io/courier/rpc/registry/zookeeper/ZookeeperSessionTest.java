package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.RecordingListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.KillSession;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.GREETER;
import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.provider;
import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.sessionId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Session expiry of providers and consumers, against one shared ZooKeeper server. */
class ZookeeperSessionTest extends SharedServerTestBase {

    /** Two seconds: the shortest that keeps a session alive comfortably with 500 ms ticks. */
    private static final String SHORT_SESSION = "sessionTimeout=2s&connectionTimeout=1s";

    private ZookeeperRegistry registry(String connectString, String params) {
        ZookeeperRegistry registry = ZookeeperTestSupport.registry(connectString, root, params);
        closeables.add(0, registry);
        return registry;
    }

    @Test
    void providerReRegistersUnderItsNewSessionAfterExpiry() throws Exception {
        ZookeeperRegistry providers = registry(server.getConnectString(), SHORT_SESSION);
        ZookeeperRegistry consumer = registry(server.getConnectString(), SHORT_SESSION + "&removalDelay=1s");
        ProviderInstance a = provider(GREETER, 7001);
        String path = providers.paths().providerPath(a);
        RecordingListener listener = new RecordingListener();
        providers.register(a);
        await().atMost(Duration.ofSeconds(10)).until(() -> ownerOf(path) == sessionId(providers));
        consumer.subscribe(GREETER, listener);
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(a).equals(listener.latest()));
        long expiredSession = sessionId(providers);

        KillSession.kill(providers.client().getZookeeperClient().getZooKeeper());

        // The old session's node lingers until the server expires it; then the new session's replaces it.
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            long current = sessionId(providers);
            return current != expiredSession && ownerOf(path) == current;
        });
        assertThat(listener.latest()).containsExactly(a);
        assertThat(listener.everReceivedEmpty()).isFalse();
    }

    @Test
    void consumerKeepsItsListThroughItsOwnSessionExpiryAndHearsLaterChanges() throws Exception {
        ZookeeperRegistry providers = registry(server.getConnectString(), SHORT_SESSION);
        ZookeeperRegistry consumer = registry(server.getConnectString(), SHORT_SESSION + "&removalDelay=200ms");
        ProviderInstance a = provider(GREETER, 7001);
        ProviderInstance b = provider(GREETER, 7002);
        RecordingListener listener = new RecordingListener();
        ZookeeperTestSupport.StateRecorder states = new ZookeeperTestSupport.StateRecorder(consumer);
        providers.register(a);
        await().atMost(Duration.ofSeconds(10)).until(() -> ownerOf(providers.paths().providerPath(a)) != 0);
        consumer.subscribe(GREETER, listener);
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(a).equals(listener.latest()));

        KillSession.kill(consumer.client().getZookeeperClient().getZooKeeper());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> states.seen(ConnectionState.RECONNECTED));
        providers.register(b);
        providers.unregister(a);

        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(b).equals(listener.latest()));
        assertThat(listener.everReceivedEmpty()).isFalse();
    }

    @Test
    void providerThatDiesWithoutUnregisteringDisappearsWhenItsSessionExpires() throws Exception {
        TcpProxy link = new TcpProxy(new InetSocketAddress("127.0.0.1", server.getPort()));
        closeables.add(link);
        ZookeeperRegistry doomed = registry(link.address(), SHORT_SESSION);
        ZookeeperRegistry survivor = registry(server.getConnectString(), SHORT_SESSION);
        ZookeeperRegistry consumer = registry(server.getConnectString(), SHORT_SESSION + "&removalDelay=200ms");
        ProviderInstance dying = provider(GREETER, 7001);
        ProviderInstance staying = provider(GREETER, 7002);
        RecordingListener listener = new RecordingListener();
        doomed.register(dying);
        survivor.register(staying);
        await().atMost(Duration.ofSeconds(10)).until(() -> ownerOf(doomed.paths().providerPath(dying)) != 0
                && ownerOf(survivor.paths().providerPath(staying)) != 0);
        consumer.subscribe(GREETER, listener);
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(dying, staying).equals(listener.latest()));

        long cut = System.nanoTime();
        link.close();

        await().atMost(Duration.ofSeconds(15)).until(() -> List.of(staying).equals(listener.latest()));
        // The connection dropped at once; the node went only when the server expired the session.
        assertThat(Duration.ofNanos(System.nanoTime() - cut)).isGreaterThan(Duration.ofSeconds(1));
        assertThat(inspector.checkExists().forPath(doomed.paths().providerPath(dying))).isNull();

        long closing = System.nanoTime();
        doomed.close();
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(3));
    }

    private static long ownerOf(String path) throws Exception {
        Stat stat = inspector.checkExists().forPath(path);
        return stat == null ? 0 : stat.getEphemeralOwner();
    }
}
