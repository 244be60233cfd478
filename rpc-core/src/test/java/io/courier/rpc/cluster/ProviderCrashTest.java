package io.courier.rpc.cluster;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.test.CountedService;
import io.courier.rpc.test.CountingProviderMain;
import io.courier.rpc.test.ProviderProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reliability row 8: one of three provider JVMs is killed with SIGKILL ({@code kill -9}) while
 * callers alternate an idempotent and a non-idempotent method. No idempotent call fails (failover
 * and per-attempt timeouts); the non-idempotent calls that fail are at most those in flight at
 * the kill, each {@code OUTCOME_UNKNOWN}, and each ran at most once (the providers' own counters);
 * no caller sees the victim more than 1 s after the kill.
 */
class ProviderCrashTest {

    private static final Logger log = LoggerFactory.getLogger(ProviderCrashTest.class);
    private static final List<String> JVM_FLAGS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final long NOT_YET = Long.MAX_VALUE;

    /** Every build: 16 callers, the kill after warming up, about 5 s of load in all. */
    @Test
    @Timeout(90)
    void killingOneOfThreeProvidersFailsNoIdempotentCall() throws Exception {
        crash(16, Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    /** The numbers: 32 callers for 40 s, the kill 10 s in. */
    @Test
    @Tag("chaos")
    @Timeout(180)
    void killingOneOfThreeProvidersUnder32CallersFor40Seconds() throws Exception {
        crash(32, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    private static EndpointStatus status(RpcClient client, String address) {
        return client.endpointStatuses().values().stream().flatMap(List::stream)
                .filter(s -> s.address().equals(address)).findFirst().orElseThrow();
    }

    private void crash(int callers, Duration beforeKill, Duration afterKill) throws Exception {
        List<ProviderProcess> providers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            // Started side by side: each JVM start takes about a second.
            List<CompletableFuture<ProviderProcess>> starting = new ArrayList<>();
            for (String name : List.of("a", "b", "victim")) {
                starting.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return ProviderProcess.start("crash-" + name, CountingProviderMain.class, JVM_FLAGS, name);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            for (CompletableFuture<ProviderProcess> f : starting) {
                try {
                    providers.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    // The others still start; close whatever did.
                    starting.forEach(other -> other.thenAccept(ProviderProcess::close));
                    throw e;
                }
            }
            ProviderProcess victim = providers.get(2);
            try (RpcClient client = RpcClient.builder().build()) {
                ReferenceConfig.Builder<CountedService> reference = ReferenceConfig.builder(CountedService.class)
                        .timeout(Duration.ofSeconds(5));
                providers.forEach(p -> reference.address(p.hostAndPort()));
                CountedService service = client.reference(reference.build());

                AtomicBoolean running = new AtomicBoolean(true);
                AtomicLong killAt = new AtomicLong(NOT_YET);
                AtomicLong goneAt = new AtomicLong(NOT_YET);
                LongAdder findsOk = new LongAdder();
                LongAdder writesIssued = new LongAdder();
                Map<String, LongAdder> writesOkBy = new ConcurrentHashMap<>();
                Map<String, AtomicInteger> findFailures = new ConcurrentHashMap<>();
                Map<String, AtomicInteger> writeFailures = new ConcurrentHashMap<>();
                AtomicInteger writesInFlight = new AtomicInteger();
                LongAdder writesAcrossKill = new LongAdder();
                LongAdder okAfterKill = new LongAdder();
                AtomicLong lastVictimCall = new AtomicLong(Long.MIN_VALUE);
                List<Future<?>> callerTasks = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    callerTasks.add(pool.submit(() -> {
                        boolean write = false;
                        while (running.get()) {
                            write = !write;
                            long start = System.nanoTime();
                            String answeredBy = null;
                            RpcErrorCode failed = null;
                            if (write) {
                                writesIssued.increment();
                                writesInFlight.incrementAndGet();
                            }
                            try {
                                answeredBy = write ? service.write("k") : service.find("k");
                            } catch (RpcException e) {
                                failed = e.code();
                                (write ? writeFailures : findFailures).computeIfAbsent(e.code().name(),
                                        k -> new AtomicInteger()).incrementAndGet();
                            } catch (RuntimeException e) {
                                (write ? writeFailures : findFailures).computeIfAbsent(e.toString(),
                                        k -> new AtomicInteger()).incrementAndGet();
                                failed = RpcErrorCode.UNKNOWN;
                            }
                            long end = System.nanoTime();
                            if (write) {
                                writesInFlight.decrementAndGet();
                                if (start < goneAt.get() && end > killAt.get()) {
                                    writesAcrossKill.increment();
                                }
                                if (answeredBy != null) {
                                    writesOkBy.computeIfAbsent(answeredBy, k -> new LongAdder()).increment();
                                }
                            } else if (answeredBy != null) {
                                findsOk.increment();
                            }
                            if (failed != null || "victim".equals(answeredBy)) {
                                lastVictimCall.accumulateAndGet(end, Math::max);
                            }
                            if (failed == null && start > goneAt.get()) {
                                okAfterKill.increment();
                            }
                        }
                    }));
                }
                long loadStart = System.nanoTime();
                // The victim must be in rotation when it dies, not ejected for a cold start's slow answers.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    EndpointStatus s = status(client, victim.hostAndPort());
                    return victim.lastReported("write") >= 20 && !s.ejected() && !s.coolingDown()
                            && System.nanoTime() - loadStart >= beforeKill.toNanos();
                });
                EndpointStatus beforeKillStatus = status(client, victim.hostAndPort());
                String writesByAtKill = writesOkBy.toString();
                int inFlightAtKill = writesInFlight.get();
                killAt.set(System.nanoTime());
                goneAt.set(victim.kill());
                long killNanos = killAt.get();
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2)).until(() -> {
                    EndpointStatus s = status(client, victim.hostAndPort());
                    return s.coolingDown() || s.ejected();
                });
                long outOfRotationMillis = (System.nanoTime() - killNanos) / 1_000_000;
                long endAt = goneAt.get() + afterKill.toNanos();
                await().atMost(afterKill.plusSeconds(30)).until(() -> System.nanoTime() >= endAt);
                running.set(false);
                for (Future<?> f : callerTasks) {
                    f.get(15, TimeUnit.SECONDS);
                }
                long loadSeconds = (System.nanoTime() - loadStart) / 1_000_000_000;

                assertThat(victim.awaitOutputRead(Duration.ofSeconds(5))).as("victim's output read to its end").isTrue();
                long victimRan = victim.lastReported("write");
                long survivorsRan = 0;
                long survivorsOk = 0;
                for (ProviderProcess p : providers.subList(0, 2)) {
                    try (RpcClient direct = RpcClient.builder().build()) {
                        survivorsRan += direct.reference(ReferenceConfig.builder(CountedService.class)
                                .address(p.hostAndPort()).timeout(Duration.ofSeconds(5)).build()).executions("write");
                    }
                    String name = p.name().substring("crash-".length());
                    survivorsOk += writesOkBy.getOrDefault(name, new LongAdder()).sum();
                }
                long victimOk = writesOkBy.getOrDefault("victim", new LongAdder()).sum();
                int writesFailed = writeFailures.values().stream().mapToInt(AtomicInteger::get).sum();
                long lastVictimMillis = lastVictimCall.get() == Long.MIN_VALUE ? -1
                        : (lastVictimCall.get() - killNanos) / 1_000_000;
                EndpointStatus finalStatus = status(client, victim.hostAndPort());
                log.info("Provider crash, {} callers, {} s of load: finds {} ok, failed {}; writes issued {}, ok {} "
                        + "(by {}), failed {}; writes in flight at the kill {} (across it {}); write executions: "
                        + "survivors {} (their answers {}), victim {} (last reported; its answers {}); kill took {} ms; "
                        + "victim out of rotation {} ms after the kill, last call on it ended {} ms after; "
                        + "{} calls ok after the kill; writes answered at the kill {}, victim then {}, at the end {}",
                        callers, loadSeconds, findsOk.sum(), findFailures, writesIssued.sum(),
                        victimOk + survivorsOk, writesOkBy, writeFailures, inFlightAtKill, writesAcrossKill.sum(),
                        survivorsRan, survivorsOk, victimRan, victimOk, (goneAt.get() - killNanos) / 1_000_000,
                        outOfRotationMillis, lastVictimMillis, okAfterKill.sum(), writesByAtKill, beforeKillStatus, finalStatus);

                assertThat(findFailures).as("failed idempotent calls").isEmpty();
                assertThat(writeFailures.keySet()).as("codes of failed non-idempotent calls")
                        .isSubsetOf(RpcErrorCode.OUTCOME_UNKNOWN.name());
                assertThat((long) writesFailed).as("failed non-idempotent calls <= those in flight across the kill")
                        .isLessThanOrEqualTo(writesAcrossKill.sum());
                assertThat(survivorsRan).as("survivors ran each of their calls exactly once").isEqualTo(survivorsOk);
                assertThat(victimRan).as("the victim ran at least the calls it answered").isGreaterThanOrEqualTo(victimOk)
                        .as("at most those plus the failed ones").isLessThanOrEqualTo(victimOk + writesFailed);
                assertThat(survivorsRan + victimRan).as("executions <= calls issued")
                        .isLessThanOrEqualTo(writesIssued.sum());
                assertThat(victimOk).as("the victim served before the kill").isPositive();
                assertThat(outOfRotationMillis).as("victim out of rotation (ms after the kill)").isLessThan(1_000);
                assertThat(lastVictimMillis).as("last call on the victim (ms after the kill)").isLessThan(1_000);
                assertThat(okAfterKill.sum()).as("calls ok after the kill").isGreaterThan(callers * 20L);
            }
        } finally {
            pool.shutdownNow();
            for (ProviderProcess p : providers) {
                p.close();
            }
        }
        for (ProviderProcess p : providers) {
            assertThat(p.leakReports()).as("leaks reported by %s", p).isEmpty();
        }
    }
}
