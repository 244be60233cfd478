package io.courier.rpc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class BusinessExecutorTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private ExecutorService executor;

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Runnable blocking(AtomicInteger started) {
        return () -> {
            started.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void startsThreadsBeforeQueueingThenQueuesThenRejects() {
        BusinessExecutor pool = (BusinessExecutor) BusinessExecutor.create(4, 2);
        executor = pool;
        AtomicInteger started = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            executor.execute(blocking(started));
        }
        // Four blocking calls run at once on four threads: none waits.
        await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 4);
        assertThat(pool.threadsStarted()).isEqualTo(4);
        executor.execute(blocking(started));
        executor.execute(blocking(started));
        assertThat(pool.acceptedCount()).isEqualTo(6);
        assertThatThrownBy(() -> executor.execute(blocking(started)))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessage("Business executor holds 6 calls already");
        assertThat(started.get()).isEqualTo(4);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 6 && pool.acceptedCount() == 0);
        assertThat(pool.threadsStarted()).isEqualTo(4);
    }

    @Test
    void spinsOnlyWhereCoresAreToSpare() {
        executor = BusinessExecutor.create(1, 0);
        assertThat(BusinessExecutor.defaultSpinNanos(1)).isZero();
        assertThat(BusinessExecutor.defaultSpinNanos(2)).isZero();
        assertThat(BusinessExecutor.defaultSpinNanos(3)).isZero();
        assertThat(BusinessExecutor.defaultSpinNanos(4)).isEqualTo(BusinessExecutor.SPIN_NANOS);
        assertThat(BusinessExecutor.defaultSpinNanos(64)).isEqualTo(BusinessExecutor.SPIN_NANOS);
    }

    @Test
    void sequentialCallsReuseFewThreads() throws Exception {
        BusinessExecutor pool = (BusinessExecutor) BusinessExecutor.create(200, 1024);
        executor = pool;
        for (int i = 0; i < 500; i++) {
            CountDownLatch done = new CountDownLatch(1);
            executor.execute(done::countDown);
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
        // A worker that is still looking for work when the next call comes may get a sibling, but 500
        // calls one after another never need more than a handful of the 200 allowed threads.
        assertThat(pool.threadsStarted()).isLessThanOrEqualTo(16);
    }

    @Test
    void namesItsThreadsAndSurvivesAFailingTask() throws Exception {
        executor = BusinessExecutor.create(1, 0);
        executor.execute(() -> {
            throw new IllegalStateException("boom");
        });
        CompletableFuture<String> name = new CompletableFuture<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> ((BusinessExecutor) executor).acceptedCount() == 0);
        executor.execute(() -> name.complete(Thread.currentThread().getName()));
        assertThat(name.get(5, TimeUnit.SECONDS)).startsWith("courier-server-worker-");
    }

    @ParameterizedTest(name = "{0} threads, spin {1} ns")
    @CsvSource({"1, 0", "2, 0", "2, 20000", "8, 20000", "64, 0"})
    void everyCallRunsWhenManyThreadsQueueAtOnce(int maxThreads, long spinNanos) throws Exception {
        // Lost wake-ups show as calls that never run: producers race with workers that park and spin.
        executor = BusinessExecutor.create("stress", maxThreads, 1_000_000, spinNanos);
        int producers = 4;
        int callsEach = 20_000;
        CountDownLatch done = new CountDownLatch(producers * callsEach);
        ExecutorService producerPool = Executors.newFixedThreadPool(producers);
        try {
            for (int p = 0; p < producers; p++) {
                producerPool.execute(() -> {
                    for (int i = 0; i < callsEach; i++) {
                        executor.execute(done::countDown);
                        if (i % 1000 == 0) {
                            Thread.yield(); // lets workers run dry and park between bursts
                        }
                    }
                });
            }
            assertThat(done.await(20, TimeUnit.SECONDS)).as("calls left: %d", done.getCount()).isTrue();
        } finally {
            producerPool.shutdownNow();
        }
        assertThat(((BusinessExecutor) executor).threadsStarted()).isLessThanOrEqualTo(maxThreads);
        await().atMost(Duration.ofSeconds(5)).until(() -> ((BusinessExecutor) executor).acceptedCount() == 0);
    }

    @Test
    void callsSpacedOutInTimeEachRunOnAParkedThread() throws Exception {
        executor = BusinessExecutor.create("spaced", 2, 0, 0);
        for (int i = 0; i < 200; i++) {
            CountDownLatch done = new CountDownLatch(1);
            executor.execute(done::countDown);
            assertThat(done.await(5, TimeUnit.SECONDS)).as("call %d", i).isTrue();
            // Waits until the pool has nothing accepted, so each call meets parked workers.
            await().atMost(Duration.ofSeconds(5)).until(() -> ((BusinessExecutor) executor).acceptedCount() == 0);
        }
    }

    @Test
    void shutdownRunsQueuedCallsThenTerminates() throws Exception {
        executor = BusinessExecutor.create("drain", 1, 10, 0);
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        executor.execute(() -> {
            try {
                first.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        });
        for (int i = 0; i < 5; i++) {
            executor.execute(ran::incrementAndGet);
        }
        executor.shutdown();
        assertThatThrownBy(() -> executor.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        first.countDown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.get()).isEqualTo(6);
    }

    @Test
    void refusesBadSizes() {
        executor = BusinessExecutor.create(1, 0);
        assertThatThrownBy(() -> BusinessExecutor.create(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BusinessExecutor.create(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
