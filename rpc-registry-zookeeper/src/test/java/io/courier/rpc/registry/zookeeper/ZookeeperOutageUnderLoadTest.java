package io.courier.rpc.registry.zookeeper;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.RecordingListener;
import io.courier.rpc.registry.zookeeper.ZookeeperTestSupport.StateRecorder;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reliability row 10: ZooKeeper stopped under load, then an injected session expiry. Two
 * providers and a consumer meet only through ZooKeeper, callers call without pause, and a third
 * provider withdrew its service before the outage. No call may fail; once ZooKeeper is back (or a
 * session was expired) the two providers' nodes must be owned by their registries' new sessions
 * within the session timeout + 5 s; the withdrawn provider's node must never come back, nor may
 * the consumer call it again.
 */
class ZookeeperOutageUnderLoadTest {

    private static final Logger log = LoggerFactory.getLogger(ZookeeperOutageUnderLoadTest.class);
    /** The slack the issue allows on top of the session timeout for the nodes to be back. */
    private static final Duration RECOVERY_SLACK = Duration.ofSeconds(5);

    /** The shared API. */
    public interface Greeter {
        String whoami();
    }

    /** Counts the calls it served. */
    static final class CountingGreeter implements Greeter {

        final String name;
        final AtomicLong calls = new AtomicLong();

        CountingGreeter(String name) {
            this.name = name;
        }

        @Override
        public String whoami() {
            calls.incrementAndGet();
            return name;
        }
    }

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final String root = ZookeeperTestSupport.uniqueRoot();

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

    /** A short session and a 3 s outage (longer than the session): every build. */
    @Test
    @Timeout(60)
    void shortOutageAndSessionExpiryUnderLoadLoseNoCall() throws Exception {
        run(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(3), 8);
    }

    /** The figure: ZooKeeper stopped for 30 s, sessions of 10 s (the test server's maximum). */
    @Test
    @Tag("chaos")
    @Timeout(180)
    void thirtySecondOutageAndSessionExpiryUnderLoadLoseNoCall() throws Exception {
        run(Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(30), 16);
    }

    private void run(Duration sessionTimeout, Duration connectionTimeout, Duration outage, int callerCount)
            throws Exception {
        long testStart = System.nanoTime();
        String params = "sessionTimeout=" + sessionTimeout.toMillis() + "ms&connectionTimeout="
                + connectionTimeout.toMillis() + "ms";
        Duration recoveryBound = sessionTimeout.plus(RECOVERY_SLACK);
        TestingServer zookeeper = closeLater(ZookeeperTestSupport.server(true));
        CuratorFramework inspector = closeLater(ZookeeperTestSupport.inspector(zookeeper.getConnectString()));

        ZookeeperRegistry registryA = registry(zookeeper, params);
        ZookeeperRegistry registryB = registry(zookeeper, params);
        ZookeeperRegistry registryC = registry(zookeeper, params);
        ZookeeperRegistry consumerRegistry = registry(zookeeper, params);
        CountingGreeter a = new CountingGreeter("a");
        CountingGreeter b = new CountingGreeter("b");
        CountingGreeter c = new CountingGreeter("c");
        RpcServer serverA = provider(a, registryA);
        RpcServer serverB = provider(b, registryB);
        RpcServer serverC = provider(c, registryC);
        String pathA = registryA.paths().providerPath(instanceOf(serverA));
        String pathB = registryB.paths().providerPath(instanceOf(serverB));
        String pathC = registryC.paths().providerPath(instanceOf(serverC));
        StateRecorder providerStates = new StateRecorder(registryA);
        StateRecorder consumerStates = new StateRecorder(consumerRegistry);
        RecordingListener listener = new RecordingListener();
        consumerRegistry.subscribe(instanceOf(serverA).serviceKey(), listener);

        RpcClient client = closeLater(RpcClient.builder().registry(consumerRegistry).build());
        Greeter greeter = client.reference(ReferenceConfig.builder(Greeter.class)
                .timeout(Duration.ofSeconds(3)).build());
        // The load starts once the consumer knows all three providers (a call before that is NO_PROVIDER).
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.latestAddresses().size() == 3);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> greeter.whoami() != null);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong succeeded = new AtomicLong();
        AtomicLong slowestNanos = new AtomicLong();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        ExecutorService callers = Executors.newFixedThreadPool(callerCount);
        closeLater(callers::shutdownNow);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < callerCount; i++) {
            running.add(callers.submit(() -> {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        greeter.whoami();
                        succeeded.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.merge(e.toString(), 1, Integer::sum);
                    }
                    slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                }
            }));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> a.calls.get() > 0 && b.calls.get() > 0 && c.calls.get() > 0);

        // c withdraws before the outage: its node goes, and the consumer stops calling it.
        serverC.withdraw();
        await().atMost(Duration.ofSeconds(10)).until(() -> inspector.checkExists().forPath(pathC) == null
                && listener.latestAddresses().size() == 2);
        int listsBeforeWithdrawal = listener.received().size();
        long abAtWithdrawal = a.calls.get() + b.calls.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.calls.get() + b.calls.get() - abAtWithdrawal >= 200L * callerCount);
        long cCallsBeforeOutage = c.calls.get();
        assertThat(failures).as("failed calls before the outage").isEmpty();

        // ZooKeeper stopped: every call must keep succeeding for the whole outage.
        long callsAtStop = succeeded.get();
        zookeeper.stop();
        long stoppedAt = System.nanoTime();
        await().during(outage).atMost(outage.plusSeconds(5)).until(failures::isEmpty);
        long callsDuringOutage = succeeded.get() - callsAtStop;
        Duration stoppedFor = Duration.ofNanos(System.nanoTime() - stoppedAt);

        zookeeper.restart();
        long restartedAt = System.nanoTime();
        Duration backAfterRestart = awaitOwnedByCurrentSession(inspector, recoveryBound, restartedAt,
                pathA, registryA, pathB, registryB);
        // Curator reports LOST once the session timeout has passed since it noticed the disconnection,
        // or when it reconnects to find the session expired: on a loaded machine that can be after the
        // restart, so it is read once the nodes are back rather than at the end of the outage.
        boolean sessionLost = providerStates.seen(ConnectionState.LOST);
        assertThat(inspector.checkExists().forPath(pathC)).as("withdrawn provider's node after the outage").isNull();
        assertThat(failures).as("failed calls through the outage").isEmpty();

        // Injected session expiry of a provider, the consumer and the withdrawn provider, under load.
        consumerStates.clear();
        long sessionA = ZookeeperTestSupport.sessionId(registryA);
        long callsAtExpiry = succeeded.get();
        KillSession.kill(registryA.client().getZookeeperClient().getZooKeeper());
        KillSession.kill(consumerRegistry.client().getZookeeperClient().getZooKeeper());
        KillSession.kill(registryC.client().getZookeeperClient().getZooKeeper());
        long expiredAt = System.nanoTime();
        Duration backAfterExpiry = awaitOwnedByCurrentSession(inspector, recoveryBound, expiredAt, pathA, registryA);
        assertThat(ZookeeperTestSupport.sessionId(registryA)).as("provider a's session after expiry")
                .isNotEqualTo(sessionA);
        await().atMost(recoveryBound).until(() -> consumerStates.seen(ConnectionState.RECONNECTED));
        // The withdrawn provider's registry has its new session too, and still announces nothing.
        await().atMost(recoveryBound).until(() -> registryC.client().getZookeeperClient().isConnected());
        long abAfterExpiry = a.calls.get() + b.calls.get();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                .until(() -> failures.isEmpty() && inspector.checkExists().forPath(pathC) == null);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.calls.get() + b.calls.get() - abAfterExpiry >= 200L * callerCount);
        long callsAfterExpiry = succeeded.get() - callsAtExpiry;

        stop.set(true);
        for (Future<?> f : running) {
            f.get(10, TimeUnit.SECONDS);
        }
        List<List<ProviderInstance>> listsSinceWithdrawal = listener.received().subList(listsBeforeWithdrawal,
                listener.received().size());
        log.info("ZooKeeper outage under load ({} callers, session {} ms): {} calls OK, {} failed {}; slowest call"
                        + " {} ms; ZooKeeper stopped {} ms ({} calls OK meanwhile, provider session lost: {}); nodes"
                        + " owned by new sessions {} ms after the restart and {} ms after the injected expiry"
                        + " ({} calls OK since, bound {} ms); withdrawn provider: node absent, {} calls before"
                        + " the outage, {} after; consumer lists after the withdrawal: {}; test {} ms",
                callerCount, sessionTimeout.toMillis(), succeeded.get(),
                failures.values().stream().mapToInt(Integer::intValue).sum(), failures,
                TimeUnit.NANOSECONDS.toMillis(slowestNanos.get()), stoppedFor.toMillis(), callsDuringOutage,
                sessionLost, backAfterRestart.toMillis(), backAfterExpiry.toMillis(), callsAfterExpiry,
                recoveryBound.toMillis(), cCallsBeforeOutage, c.calls.get() - cCallsBeforeOutage,
                listsSinceWithdrawal.stream().map(l -> l.stream().map(ProviderInstance::address).toList()).toList(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - testStart));

        assertThat(failures).as("failed calls").isEmpty();
        assertThat(sessionLost).as("the outage outlasted the provider's session (Curator reported LOST)").isTrue();
        assertThat(callsDuringOutage).as("calls served while ZooKeeper was down").isGreaterThan(100L * callerCount);
        assertThat(backAfterRestart).as("nodes back after the restart").isLessThanOrEqualTo(recoveryBound);
        assertThat(backAfterExpiry).as("node back after the injected expiry").isLessThanOrEqualTo(recoveryBound);
        assertThat(inspector.checkExists().forPath(pathC)).as("withdrawn provider's node at the end").isNull();
        assertThat(c.calls.get()).as("calls to the withdrawn provider after the outage began")
                .isEqualTo(cCallsBeforeOutage);
        assertThat(listsSinceWithdrawal).as("the withdrawn provider never reappears to the consumer")
                .allSatisfy(list -> assertThat(list).extracting(ProviderInstance::port)
                        .doesNotContain(serverC.address().getPort()));
        assertThat(listener.latestAddresses()).as("the consumer's final list").containsExactlyInAnyOrder(
                instanceOf(serverA).address(), instanceOf(serverB).address());
    }

    private ZookeeperRegistry registry(TestingServer zookeeper, String params) {
        return closeLater(ZookeeperTestSupport.registry(zookeeper.getConnectString(), root, params));
    }

    private RpcServer provider(CountingGreeter greeter, ZookeeperRegistry registry) {
        return closeLater(RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(Greeter.class, greeter)
                .registry(registry).build().start());
    }

    /** The instance a server announces (its one service), as the registry names its node. */
    private static ProviderInstance instanceOf(RpcServer server) {
        return ZookeeperTestSupport.provider(server.services().get(0).serviceKey(), server.address().getPort());
    }

    /**
     * Waits until each path (given with its registry) is a node owned by that registry's current
     * session, and returns how long after {@code since} that was.
     */
    private static Duration awaitOwnedByCurrentSession(CuratorFramework inspector, Duration bound, long since,
            Object... pathsAndRegistries) {
        // Awaitility's own bound is generous, so that the figure is measured even when it is over the threshold.
        await().atMost(bound.multipliedBy(3)).ignoreExceptions().until(() -> {
            for (int i = 0; i < pathsAndRegistries.length; i += 2) {
                Stat stat = inspector.checkExists().forPath((String) pathsAndRegistries[i]);
                ZookeeperRegistry registry = (ZookeeperRegistry) pathsAndRegistries[i + 1];
                if (stat == null || !registry.client().getZookeeperClient().isConnected()
                        || stat.getEphemeralOwner() != ZookeeperTestSupport.sessionId(registry)) {
                    return false;
                }
            }
            return true;
        });
        return Duration.ofNanos(System.nanoTime() - since);
    }
}
