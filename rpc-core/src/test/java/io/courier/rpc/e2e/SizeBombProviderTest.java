package io.courier.rpc.e2e;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.courier.rpc.test.CountedService;
import io.courier.rpc.test.CountingProviderMain;
import io.courier.rpc.test.ProviderProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Reliability row 2 against a provider JVM of its own with a 128 MiB heap
 * ({@link CountingProviderMain}, started by {@link ProviderProcess}): honest Kryo frames that
 * decode to more than the heap can hold are refused with {@code RESOURCE_EXHAUSTED} before they
 * are allocated, JSON size bombs in valid frames (nesting, numbers, strings and names beyond
 * Jackson's limits) get a typed error, and meanwhile a healthy consumer sees no failure. The
 * provider's log must show no {@code OutOfMemoryError} or {@code StackOverflowError}.
 */
@Timeout(120)
class SizeBombProviderTest {

    private static final Logger log = LoggerFactory.getLogger(SizeBombProviderTest.class);
    private static final List<String> JVM_FLAGS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final String SERVICE = CountedService.class.getName();

    private static ProviderProcess provider;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void startProvider() throws Exception {
        provider = ProviderProcess.start("size-bombs", CountingProviderMain.class, JVM_FLAGS, "size-bombs");
    }

    @AfterAll
    static void stopProvider() throws Exception {
        if (provider != null) {
            provider.close();
            String output = Files.readString(provider.logFile());
            assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain("StackOverflowError");
            assertThat(provider.leakReports()).isEmpty();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private CountedService consumer() {
        RpcClient client = RpcClient.builder().build();
        closeables.add(client);
        return client.reference(ReferenceConfig.builder(CountedService.class).address(provider.hostAndPort())
                .timeout(Duration.ofSeconds(20)).retries(0).build());
    }

    /** Calls {@code find} over and over until closed, counting calls and failures. */
    private final class HealthyCaller implements AutoCloseable {

        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger ok = new AtomicInteger();
        final Map<String, Integer> failures = new java.util.concurrent.ConcurrentHashMap<>();
        final CompletableFuture<Void> running;

        HealthyCaller() {
            CountedService healthy = consumer();
            // Connected before the bombs start, so that its calls run alongside them.
            healthy.find("warm");
            running = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    try {
                        healthy.find("k");
                        ok.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.merge(e.toString(), 1, Integer::sum);
                    }
                }
            });
        }

        /** Stops calling once at least 10 calls ended (a burst may be over before the loop gets going). */
        @Override
        public void close() throws Exception {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> ok.get() + failures.values().stream().mapToInt(Integer::intValue).sum() >= 10);
            stop.set(true);
            running.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void honestKryoFramesLargerThanTheHeapAreRefusedBeforeAllocating() throws Exception {
        // Eight connections, each an 8 MB frame of zero longs that decodes to a 64 MB long[]: together
        // four times the provider's heap. One shared array, only read while encoding.
        long[] zeros = new long[8_000_000];
        List<CountedService> senders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            senders.add(consumer());
        }
        ExecutorService pool = Executors.newFixedThreadPool(senders.size());
        closeables.add(pool::shutdownNow);
        HealthyCaller healthy = new HealthyCaller();
        List<CompletableFuture<Long>> bombs = new ArrayList<>();
        long start = System.nanoTime();
        for (CountedService sender : senders) {
            bombs.add(CompletableFuture.supplyAsync(() -> sender.size(zeros), pool));
        }
        Map<RpcErrorCode, Integer> outcomes = new LinkedHashMap<>();
        String message = "";
        for (CompletableFuture<Long> bomb : bombs) {
            RpcException e = rootRpcException(catchThrowableOfType(Exception.class, () -> bomb.get(60, TimeUnit.SECONDS)));
            outcomes.merge(e.code(), 1, Integer::sum);
            message = e.getMessage();
        }
        long bombMillis = (System.nanoTime() - start) / 1_000_000;
        healthy.close();
        // Afterwards the budget is whole again: honest calls of a few MB pass.
        CountedService after = consumer();
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sizes.add(after.size(new long[500_000]));
        }
        log.info("-Xmx128m provider, 8 x 8 MB Kryo frames decoding to 64 MB each: {} in {} ms ({}); healthy "
                + "consumer meanwhile {} calls OK, failed {}; then 4 honest 4 MB calls: {}", outcomes, bombMillis,
                message, healthy.ok.get(), healthy.failures, sizes);
        assertThat(outcomes).isEqualTo(Map.of(RpcErrorCode.RESOURCE_EXHAUSTED, 8));
        assertThat(message).contains("long[]");
        assertThat(healthy.failures).isEmpty();
        assertThat(healthy.ok.get()).isPositive();
        assertThat(sizes).containsOnly(500_000L);
        assertThat(provider.isAlive()).isTrue();
    }

    @Test
    void jsonSizeBombsInValidFramesGetATypedError() throws Exception {
        Map<String, byte[]> bombs = new LinkedHashMap<>();
        bombs.put("nesting 1,000,000 deep", ("[" + "[".repeat(1_000_000)).getBytes(StandardCharsets.US_ASCII));
        bombs.put("number of 4,000,000 digits", ("[" + "9".repeat(4_000_000) + "]").getBytes(StandardCharsets.US_ASCII));
        bombs.put("property name of 4,000,000 chars",
                ("[{\"" + "n".repeat(4_000_000) + "\":1}]").getBytes(StandardCharsets.US_ASCII));
        bombs.put("object nesting 500,000 deep",
                ("[" + "{\"a\":".repeat(500_000) + "1" + "}".repeat(500_000) + "]").getBytes(StandardCharsets.US_ASCII));
        HealthyCaller healthy = new HealthyCaller();
        Map<String, String> outcomes = new LinkedHashMap<>();
        try (RawConnection raw = new RawConnection(provider.address())) {
            for (Map.Entry<String, byte[]> bomb : bombs.entrySet()) {
                long start = System.nanoTime();
                RawConnection.Answer answer = raw.call(SERVICE, "size", "java.lang.Object", JsonSerializer.ID,
                        bomb.getValue());
                String text = answer.printable();
                outcomes.put(bomb.getKey(), answer.code() + " in " + (System.nanoTime() - start) / 1_000_000 + " ms: "
                        + text.substring(0, Math.min(200, text.length())));
                assertThat(answer.code()).as(bomb.getKey()).isEqualTo(RpcErrorCode.SERIALIZATION);
            }
            // The connection still serves an honest JSON call.
            RawConnection.Answer honest = raw.call(SERVICE, "size", "java.lang.Object", JsonSerializer.ID,
                    "[[1,2,3]]".getBytes(StandardCharsets.US_ASCII));
            assertThat(honest.code()).isEqualTo(RpcErrorCode.OK);
            assertThat(new String(honest.body(), StandardCharsets.US_ASCII)).isEqualTo("3");
        }
        healthy.close();
        outcomes.forEach((bomb, outcome) -> log.info("-Xmx128m provider, JSON bomb, {}: {}", bomb, outcome));
        log.info("Healthy consumer during the JSON bombs: {} calls OK, failed {}", healthy.ok.get(), healthy.failures);
        assertThat(healthy.failures).isEmpty();
        assertThat(provider.isAlive()).isTrue();
    }

    @Test
    void honestJsonFramesLargerThanTheHeapAreRefusedBeforeAllocating() throws Exception {
        // Eight connections, each an 8 MB JSON array of 1.1 million distinct numbers for an Object
        // argument: a list of boxed Integers, about 28 MB each, 4 times the heap together. Before
        // JSON bodies were charged to the decode budget, 2 of 8 ended INTERNAL after an OutOfMemoryError.
        StringBuilder json = new StringBuilder(8_000_016).append("[[");
        int elements = 0;
        while (json.length() < 8_000_000) {
            json.append(100_000 + elements++).append(',');
        }
        json.append("1]]");
        byte[] body = json.toString().getBytes(StandardCharsets.US_ASCII);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        closeables.add(pool::shutdownNow);
        HealthyCaller healthy = new HealthyCaller();
        long start = System.nanoTime();
        List<CompletableFuture<RawConnection.Answer>> bombs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            bombs.add(CompletableFuture.supplyAsync(() -> {
                try (RawConnection raw = new RawConnection(provider.address())) {
                    return raw.call(SERVICE, "size", "java.lang.Object", JsonSerializer.ID, body);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, pool));
        }
        Map<RpcErrorCode, Integer> outcomes = new LinkedHashMap<>();
        String message = "";
        for (CompletableFuture<RawConnection.Answer> bomb : bombs) {
            RawConnection.Answer answer = bomb.get(60, TimeUnit.SECONDS);
            outcomes.merge(answer.code(), 1, Integer::sum);
            message = answer.printable();
        }
        long bombMillis = (System.nanoTime() - start) / 1_000_000;
        healthy.close();
        // A JSON body within the limit per call is served.
        long honest;
        try (RawConnection raw = new RawConnection(provider.address())) {
            RawConnection.Answer answer = raw.call(SERVICE, "size", "java.lang.Object", JsonSerializer.ID,
                    ("[[" + "7,".repeat(100_000) + "7]]").getBytes(StandardCharsets.US_ASCII));
            assertThat(answer.code()).isEqualTo(RpcErrorCode.OK);
            honest = Long.parseLong(new String(answer.body(), StandardCharsets.US_ASCII));
        }
        log.info("-Xmx128m provider, 8 x {} byte JSON frames of {} numbers each: {} in {} ms ({}); healthy consumer "
                + "meanwhile {} calls OK, failed {}; then a JSON call of {} numbers: OK", body.length, elements + 1,
                outcomes, bombMillis, message, healthy.ok.get(), healthy.failures, honest);
        assertThat(outcomes).isEqualTo(Map.of(RpcErrorCode.RESOURCE_EXHAUSTED, 8));
        // JSON is charged as it is read, so each bomb holds up to the limit per call until it is
        // refused; the eighth of the budget kept for small calls keeps the healthy consumer served.
        assertThat(healthy.failures).as("healthy consumer's failures").isEmpty();
        assertThat(healthy.ok.get()).isPositive();
        assertThat(honest).isEqualTo(100_001L);
        assertThat(provider.isAlive()).isTrue();
    }

    private static RpcException rootRpcException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RpcException e) {
                return e;
            }
        }
        throw new AssertionError("No RpcException in " + t, t);
    }
}
