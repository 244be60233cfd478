package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.test.CountedService;
import io.courier.rpc.test.ProviderProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * Reliability row 11 as the issue states it: two Spring Boot provider JVMs
 * ({@link SigtermProviderApplication}) under load from 32 callers of a method that is not
 * idempotent, and a SIGTERM to one of them mid-load. Spring Boot's shutdown hook closes the
 * context, whose server tells its connections it is going away, finishes the calls in flight and
 * stops; the consumer sends new calls to the other provider. No call fails, and each ran exactly
 * once: the providers' own counters (printed on standard output as each call runs) equal the
 * answers each gave.
 */
class SigtermRestartTests {

    private static final Logger log = LoggerFactory.getLogger(SigtermRestartTests.class);
    private static final int CALLERS = 32;
    private static final List<String> JVM_FLAGS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    @Test
    @Timeout(90)
    void sigtermToOneOfTwoSpringBootProvidersUnderLoadLosesNoCall() throws Exception {
        restartUnderLoad(Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Test
    @Tag("chaos")
    @Timeout(180)
    void sigtermUnderLongerLoad() throws Exception {
        restartUnderLoad(Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    private void restartUnderLoad(Duration before, Duration after) throws Exception {
        CompletableFuture<ProviderProcess> startingA = CompletableFuture.supplyAsync(() -> start("a"));
        CompletableFuture<ProviderProcess> startingB = CompletableFuture.supplyAsync(() -> start("b"));
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try (ProviderProcess a = startingA.get(60, TimeUnit.SECONDS);
                ProviderProcess b = startingB.get(60, TimeUnit.SECONDS);
                RpcClient client = RpcClient.builder().build()) {
            CountedService service = client.reference(ReferenceConfig.builder(CountedService.class)
                    .address(a.hostAndPort()).address(b.hostAndPort()).timeout(Duration.ofSeconds(5)).build());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean terminated = new AtomicBoolean();
            Map<String, AtomicLong> answers = Map.of("a", new AtomicLong(), "b", new AtomicLong());
            AtomicLong afterSigterm = new AtomicLong();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                running.add(callers.submit(() -> {
                    while (!stop.get()) {
                        try {
                            answers.get(service.write("k")).incrementAndGet();
                            if (terminated.get()) {
                                afterSigterm.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failures.merge(e.toString(), 1, Integer::sum);
                        }
                    }
                }));
            }
            long loadStart = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> answers.get("a").get() >= 100
                    && answers.get("b").get() >= 100 && System.nanoTime() - loadStart >= before.toNanos());
            long aBefore = answers.get("a").get();
            long sigterm = System.nanoTime();
            long gone = a.terminate(Duration.ofSeconds(30));
            terminated.set(true);
            long exitMillis = (gone - sigterm) / 1_000_000;
            long aAtExit = answers.get("a").get();
            await().atMost(after.plusSeconds(30)).until(() -> System.nanoTime() - gone >= after.toNanos());
            stop.set(true);
            for (Future<?> f : running) {
                f.get(20, TimeUnit.SECONDS);
            }
            assertThat(a.awaitOutputRead(Duration.ofSeconds(10))).as("a's output read to its end").isTrue();
            long aRan = a.lastReported("write");
            long bAnswered = answers.get("b").get();
            // b is alive: its last lines may still be on their way.
            await().atMost(Duration.ofSeconds(10)).until(() -> b.lastReported("write") >= bAnswered);
            long bRan = b.lastReported("write");
            log.info("SIGTERM restart: {} callers, {} calls OK ({} answered by a: {} before the SIGTERM, {} by b; "
                    + "{} after a was gone), {} failed {}; a ran {} and b ran {} writes; a exited {} ms after the "
                    + "SIGTERM with code {}, answering {} calls meanwhile",
                    CALLERS, answers.get("a").get() + bAnswered, answers.get("a").get(), aBefore, bAnswered,
                    afterSigterm.get(), failures.values().stream().mapToInt(Integer::intValue).sum(), failures,
                    aRan, bRan, exitMillis, a.exitValue(), aAtExit - aBefore);
            assertThat(failures).as("failed calls").isEmpty();
            assertThat(aRan).as("a ran each call it answered, once").isEqualTo(answers.get("a").get());
            assertThat(bRan).as("b ran each call it answered, once").isEqualTo(bAnswered);
            assertThat(afterSigterm.get()).as("calls served by b alone after a was gone").isPositive();
            assertThat(answers.get("a").get()).as("a answered nothing after it was gone").isEqualTo(aAtExit);
            assertThat(a.leakReports()).isEmpty();
            assertThat(b.leakReports()).isEmpty();
        } finally {
            callers.shutdownNow();
        }
    }

    private static ProviderProcess start(String name) {
        try {
            return ProviderProcess.start(name, SigtermProviderApplication.class, JVM_FLAGS, name);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
