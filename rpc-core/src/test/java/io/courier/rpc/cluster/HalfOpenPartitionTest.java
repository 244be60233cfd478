package io.courier.rpc.cluster;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.test.SilentTcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17, reliability row 9: one of two providers sits behind a proxy that goes silent (keeps
 * the connection and accepts new ones, never sends a FIN). With per-attempt timeouts and outlier
 * ejection, idempotent callers do not notice, the silent provider is ejected within 2 s, and it
 * serves again within about 2 s of the partition healing.
 */
@Timeout(60)
class HalfOpenPartitionTest {

    private static final Logger log = LoggerFactory.getLogger(HalfOpenPartitionTest.class);
    private static final int CALLERS = 8;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Answers with its name and counts its calls. */
    static final class Lookup implements LookupService {

        final String name;
        final AtomicInteger calls = new AtomicInteger();

        Lookup(String name) {
            this.name = name;
        }

        @Override
        public String find(String key) {
            calls.incrementAndGet();
            return name;
        }

        @Override
        public String write(String key) {
            return find(key);
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private InetSocketAddress start(Lookup lookup) {
        RpcServer server = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO).build())
                .service(LookupService.class, lookup).build().start();
        closeables.add(server);
        return new InetSocketAddress("127.0.0.1", server.address().getPort());
    }

    private static EndpointStatus status(RpcClient client, String address) {
        return client.endpointStatuses().values().stream().flatMap(List::stream)
                .filter(s -> s.address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void silentProviderIsEjectedWithoutFailingIdempotentCallsAndReadmittedAfterHealing() throws Exception {
        Lookup behindProxy = new Lookup("behind-proxy");
        Lookup direct = new Lookup("direct");
        SilentTcpProxy proxy = new SilentTcpProxy(start(behindProxy));
        closeables.add(proxy);
        InetSocketAddress directAddress = start(direct);
        RpcClient client = RpcClient.builder().build();
        closeables.add(client);
        LookupService lookup = client.reference(ReferenceConfig.builder(LookupService.class)
                .address(proxy.address()).address(directAddress)
                .timeout(Duration.ofSeconds(2)).attemptTimeout(Duration.ofMillis(300))
                .outlierDetection(OutlierDetection.builder().baseEjectionTime(Duration.ofMillis(500))
                        .maxEjectionTime(Duration.ofMillis(1_500)).build())
                .build());

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong slowestDuringCutNanos = new AtomicLong();
        AtomicBoolean cutting = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        for (int t = 0; t < CALLERS; t++) {
            callers.execute(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        assertThat(lookup.find("k")).isIn("behind-proxy", "direct");
                        ok.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                    if (cutting.get()) {
                        slowestDuringCutNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    }
                }
            });
        }
        long ejectMillis;
        long readmitMillis;
        long okDuringCut;
        int ejections;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() >= 2_000 && behindProxy.calls.get() >= 500);

            long cutAt = System.nanoTime();
            cutting.set(true);
            proxy.cut();
            long okAtCut = ok.get();
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                    .until(() -> status(client, proxy.address()).ejected());
            ejectMillis = (System.nanoTime() - cutAt) / 1_000_000;
            // Stay cut until a probe has failed and the provider was ejected again, for longer.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> status(client, proxy.address()).ejections() >= 2);
            ejections = status(client, proxy.address()).ejections();
            okDuringCut = ok.get() - okAtCut;

            int servedBeforeHeal = behindProxy.calls.get();
            long healAt = System.nanoTime();
            proxy.heal();
            cutting.set(false);
            await().atMost(Duration.ofMillis(2_500)).pollInterval(Duration.ofMillis(5))
                    .until(() -> !status(client, proxy.address()).ejected());
            readmitMillis = (System.nanoTime() - healAt) / 1_000_000;
            // Serving again, not only re-admitted: new calls reach it (beyond the backlog the heal released).
            int afterReadmit = behindProxy.calls.get();
            await().atMost(Duration.ofSeconds(2)).until(() -> behindProxy.calls.get() >= afterReadmit + 100);
            assertThat(afterReadmit).isGreaterThanOrEqualTo(servedBeforeHeal);
        } finally {
            running.set(false);
            callers.shutdown();
            assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        log.info("Half-open partition: {} calls ok, {} failed; ejected {} ms after the cut ({} ejections while cut, "
                + "{} calls ok meanwhile, slowest call {} ms); re-admitted {} ms after healing; served {} / {}",
                ok.get(), failures.size(), ejectMillis, ejections, okDuringCut, slowestDuringCutNanos.get() / 1_000_000,
                readmitMillis, behindProxy.calls.get(), direct.calls.get());
        assertThat(failures).as("failed idempotent calls").isEmpty();
        assertThat(ejectMillis).isLessThan(2_000);
        assertThat(readmitMillis).isLessThan(2_500);
        assertThat(okDuringCut).as("the direct provider kept serving").isGreaterThan(100);
        assertThat(slowestDuringCutNanos.get() / 1_000_000).as("well inside the 2 s call timeout").isLessThan(1_500);
    }

    @Test
    void aSilentConnectionIsDeclaredDeadWithinThreeHeartbeats() throws Exception {
        SilentTcpProxy proxy = new SilentTcpProxy(start(new Lookup("behind-proxy")));
        closeables.add(proxy);
        Duration heartbeat = Duration.ofMillis(300);
        RpcClient client = RpcClient.builder()
                .options(ClientOptions.builder().heartbeatInterval(heartbeat).build()).build();
        closeables.add(client);
        LookupService lookup = client.reference(ReferenceConfig.builder(LookupService.class)
                .address(proxy.address()).build());
        assertThat(lookup.find("k")).isEqualTo("behind-proxy");
        await().atMost(Duration.ofSeconds(5)).until(() -> connections(client) == 1);

        long cutAt = System.nanoTime();
        proxy.cut();
        // No call is made after the cut: only the heartbeat can find that nothing comes back.
        await().atMost(heartbeat.multipliedBy(3).plusSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> connections(client) == 0);
        long deadMillis = (System.nanoTime() - cutAt) / 1_000_000;
        log.info("Silent connection (heartbeat {} ms) closed by the consumer {} ms after the cut", heartbeat.toMillis(),
                deadMillis);
        // The last read came at most a heartbeat before the cut; three silent intervals close it.
        assertThat(deadMillis).isBetween(heartbeat.toMillis(), heartbeat.multipliedBy(3).toMillis() + 500);
    }

    private static int connections(RpcClient client) {
        return client.connectionCounts().values().stream().mapToInt(Integer::intValue).sum();
    }
}
