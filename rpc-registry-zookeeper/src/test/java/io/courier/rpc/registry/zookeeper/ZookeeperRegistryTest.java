package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.Registries;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.RecordingListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.GREETER;
import static io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Registering, subscribing and the node layout, against one shared ZooKeeper server. */
class ZookeeperRegistryTest extends SharedServerTestBase {

    private static final String FAST = "sessionTimeout=3s&connectionTimeout=2s&removalDelay=200ms";

    private ZookeeperRegistry registry(String params) {
        ZookeeperRegistry registry = ZookeeperTestSupport.registry(server.getConnectString(), root, params);
        closeables.add(registry);
        return registry;
    }

    @Test
    void subscriberSeesProvidersWithTheirDetailsAndLosesAnUnregisteredOne() {
        ZookeeperRegistry providers = registry(FAST);
        ZookeeperRegistry consumer = registry(FAST);
        ProviderInstance a = new ProviderInstance(GREETER, "127.0.0.1", 7001, 50, Set.of("canary", "eu"),
                Map.of("serialization", "kryo", "protocol", "1", "startTime", "2025-01-01T00:00:00Z"));
        ProviderInstance b = new ProviderInstance(GREETER, "127.0.0.1", 7002, 200, Set.of(),
                Map.of("serialization", "json"));
        providers.register(a);
        providers.register(b);
        awaitNode(providers.paths().providerPath(a));
        awaitNode(providers.paths().providerPath(b));
        RecordingListener listener = new RecordingListener();

        consumer.subscribe(GREETER, listener);

        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(a, b).equals(listener.latest()));
        providers.unregister(a);
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(b).equals(listener.latest()));
        assertThat(listener.received()).allSatisfy(list -> assertThat(list).isNotEmpty());
    }

    @Test
    void versionsAndGroupsAreSeparateServicesEachInOnePathSegment() throws Exception {
        ServiceKey v2 = new ServiceKey(GREETER.interfaceName(), "2.0", "");
        ServiceKey grouped = new ServiceKey(GREETER.interfaceName(), "1.0", "g2");
        ZookeeperRegistry providers = registry(FAST);
        ZookeeperRegistry consumer = registry(FAST);
        providers.register(provider(GREETER, 7001));
        providers.register(provider(v2, 7002));
        providers.register(provider(grouped, 7003));
        RecordingListener v1Listener = new RecordingListener();
        RecordingListener v2Listener = new RecordingListener();
        RecordingListener groupListener = new RecordingListener();

        consumer.subscribe(GREETER, v1Listener);
        consumer.subscribe(v2, v2Listener);
        consumer.subscribe(grouped, groupListener);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(v1Listener.latestAddresses()).containsExactly("127.0.0.1:7001");
            assertThat(v2Listener.latestAddresses()).containsExactly("127.0.0.1:7002");
            assertThat(groupListener.latestAddresses()).containsExactly("127.0.0.1:7003");
        });
        assertThat(inspector.getChildren().forPath(root))
                .containsExactlyInAnyOrder("com.acme.Greeter%3A1.0", "com.acme.Greeter%3A2.0",
                        "g2%2Fcom.acme.Greeter%3A1.0");
        assertThat(inspector.getChildren().forPath(root + "/g2%2Fcom.acme.Greeter%3A1.0/providers"))
                .containsExactly("127.0.0.1:7003");
    }

    @Test
    void providerNodeIsAnEphemeralNodeWithTheDocumentedJson() throws Exception {
        ZookeeperRegistry providers = registry(FAST);
        providers.register(new ProviderInstance(GREETER, "127.0.0.1", 7001, 50, Set.of("canary"),
                Map.of("serialization", "kryo", "protocol", "1", "startTime", "2025-01-01T00:00:00Z")));
        String path = root + "/com.acme.Greeter%3A1.0/providers/127.0.0.1:7001";

        awaitNode(path);

        Stat stat = new Stat();
        byte[] data = inspector.getData().storingStatIn(stat).forPath(path);
        assertThat(stat.getEphemeralOwner()).isEqualTo(ZookeeperTestSupport.sessionId(providers));
        JsonNode json = JsonMapper.builder().build().readTree(data);
        assertThat(json.get("weight").intValue()).isEqualTo(50);
        assertThat(json.get("tags").values()).extracting(JsonNode::stringValue).containsExactly("canary");
        assertThat(json.get("metadata").get("serialization").stringValue()).isEqualTo("kryo");
        assertThat(json.get("metadata").get("protocol").stringValue()).isEqualTo("1");
        assertThat(json.get("metadata").get("startTime").stringValue()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(new String(data, StandardCharsets.UTF_8)).doesNotContain("7001");
    }

    @Test
    void registriesFindTheZookeeperFactoryByScheme() {
        Registry registry = Registries.create("zookeeper://" + server.getConnectString() + root + "?" + FAST,
                getClass().getClassLoader());
        closeables.add(registry);
        RecordingListener listener = new RecordingListener();

        registry.register(provider(GREETER, 7001));
        registry.subscribe(GREETER, listener);

        assertThat(registry).isInstanceOf(ZookeeperRegistry.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.latestAddresses().equals(List.of("127.0.0.1:7001")));
    }

    @Test
    void malformedNodesAreSkippedAndTheRestDelivered() throws Exception {
        String providersPath = root + "/com.acme.Greeter%3A1.0/providers";
        createNode(providersPath + "/127.0.0.1:7101", "not json");
        createNode(providersPath + "/127.0.0.1:7102", "{\"weight\":-5}");
        createNode(providersPath + "/127.0.0.1:7103", "");
        createNode(providersPath + "/no-port", "{\"weight\":1}");
        createNode(providersPath + "/127.0.0.1:7104", "{\"weight\":1,\"tags\":\"canary\"}");
        ZookeeperRegistry providers = registry(FAST);
        ZookeeperRegistry consumer = registry(FAST);
        providers.register(provider(GREETER, 7100));
        RecordingListener listener = new RecordingListener();

        consumer.subscribe(GREETER, listener);

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.latestAddresses().equals(List.of("127.0.0.1:7100")));
        inspector.setData().forPath(providersPath + "/127.0.0.1:7101", "{\"weight\":3}".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> listener.latestAddresses().equals(List.of("127.0.0.1:7100", "127.0.0.1:7101")));
        assertThat(listener.latest().get(1).weight()).isEqualTo(3);
    }

    @Test
    void registeringAgainWithOtherDetailsUpdatesTheNodeInPlace() throws Exception {
        ZookeeperRegistry providers = registry(FAST);
        ZookeeperRegistry consumer = registry(FAST);
        ProviderInstance first = provider(GREETER, 7001);
        ProviderInstance reweighted = new ProviderInstance(GREETER, "127.0.0.1", 7001, 7, Set.of("drain"), Map.of());
        RecordingListener listener = new RecordingListener();
        providers.register(first);
        awaitNode(providers.paths().providerPath(first));
        consumer.subscribe(GREETER, listener);
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(first).equals(listener.latest()));
        long created = inspector.checkExists().forPath(providers.paths().providerPath(first)).getCzxid();

        providers.register(reweighted);

        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(reweighted).equals(listener.latest()));
        assertThat(inspector.checkExists().forPath(providers.paths().providerPath(first)).getCzxid()).isEqualTo(created);
        assertThat(listener.received()).allSatisfy(list -> assertThat(list).hasSize(1));
    }

    @Test
    void serviceWithoutProvidersIsReportedEmptyAndLateSubscribersGetTheCurrentList() {
        ZookeeperRegistry consumer = registry(FAST);
        ZookeeperRegistry providers = registry(FAST);
        RecordingListener early = new RecordingListener();
        RecordingListener late = new RecordingListener();

        consumer.subscribe(GREETER, early);
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of().equals(early.latest()));
        providers.register(provider(GREETER, 7001));
        await().atMost(Duration.ofSeconds(10)).until(() -> early.latestAddresses().equals(List.of("127.0.0.1:7001")));
        consumer.subscribe(GREETER, late);

        await().atMost(Duration.ofSeconds(10)).until(() -> late.latestAddresses().equals(List.of("127.0.0.1:7001")));
        assertThat(late.received()).hasSize(1);
        assertThat(early.received()).hasSize(2);
    }

    @Test
    void unsubscribedListenerHearsNothingMore() {
        ZookeeperRegistry consumer = registry(FAST);
        ZookeeperRegistry providers = registry(FAST);
        RecordingListener leaving = new RecordingListener();
        RecordingListener staying = new RecordingListener();
        consumer.subscribe(GREETER, leaving);
        consumer.subscribe(GREETER, staying);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaving.latest() != null && staying.latest() != null);

        consumer.unsubscribe(GREETER, leaving);
        providers.register(provider(GREETER, 7001));

        // Both would be told in the same notifier task, so once one has heard, the other would have.
        await().atMost(Duration.ofSeconds(10)).until(() -> staying.latestAddresses().equals(List.of("127.0.0.1:7001")));
        assertThat(leaving.received()).containsExactly(List.of());
    }

    @Test
    void providerNodeDeletedBehindItsBackIsRecreatedWithoutSubscribersNoticing() throws Exception {
        ZookeeperRegistry providers = registry("sessionTimeout=3s&connectionTimeout=2s");
        ZookeeperRegistry consumer = registry("sessionTimeout=3s&connectionTimeout=2s&removalDelay=1s");
        ProviderInstance a = provider(GREETER, 7001);
        String path = providers.paths().providerPath(a);
        RecordingListener listener = new RecordingListener();
        providers.register(a);
        awaitNode(path);
        consumer.subscribe(GREETER, listener);
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(a).equals(listener.latest()));
        long created = inspector.checkExists().forPath(path).getCzxid();

        inspector.delete().forPath(path);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Stat stat = inspector.checkExists().forPath(path);
            return stat != null && stat.getCzxid() != created;
        });
        // Past the removal delay: a reported removal would have arrived by now.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> listener.received().size() == 1);
    }

    @Test
    void closeWithdrawsEverythingAtOnceAndStopsItsThreads() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ZookeeperRegistry providers = ZookeeperTestSupport.registry(server.getConnectString(), root, FAST);
        ZookeeperRegistry consumer = ZookeeperTestSupport.registry(server.getConnectString(), root, FAST);
        ProviderInstance a = provider(GREETER, 7001);
        RecordingListener listener = new RecordingListener();
        providers.register(a);
        consumer.subscribe(GREETER, listener);
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(a).equals(listener.latest()));

        providers.close();

        assertThat(inspector.checkExists().forPath(providers.paths().providerPath(a))).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of().equals(listener.latest()));
        consumer.close();
        consumer.close();
        assertThatThrownBy(() -> providers.register(a)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        Predicate<Thread> ours = t -> !before.contains(t) && t.isAlive();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Thread.getAllStackTraces().keySet().stream().filter(ours).map(Thread::getName)
                        .collect(Collectors.toList()))
                .noneMatch(name -> name.startsWith("courier-zookeeper-") || name.startsWith("Curator-")
                        || name.contains("SendThread") || name.contains("EventThread")));
    }

    private static void awaitNode(String path) {
        await().atMost(Duration.ofSeconds(10)).until(() -> inspector.checkExists().forPath(path) != null);
    }

    private static void createNode(String path, String data) throws Exception {
        inspector.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
                .forPath(path, data.getBytes(StandardCharsets.UTF_8));
    }
}
