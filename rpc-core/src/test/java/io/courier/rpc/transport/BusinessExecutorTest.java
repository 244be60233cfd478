package io.courier.rpc.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
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
        executor = BusinessExecutor.create(4, 2);
        AtomicInteger started = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            executor.execute(blocking(started));
        }
        // Four blocking calls run at once on four threads: none waits in the queue.
        await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 4);
        assertThat(((ThreadPoolExecutor) executor).getPoolSize()).isEqualTo(4);
        executor.execute(blocking(started));
        executor.execute(blocking(started));
        assertThat(((ThreadPoolExecutor) executor).getQueue()).hasSize(2);
        assertThatThrownBy(() -> executor.execute(blocking(started))).isInstanceOf(RejectedExecutionException.class);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 6);
    }

    @Test
    void sequentialCallsReuseFewThreads() throws Exception {
        executor = BusinessExecutor.create(200, 1024);
        for (int i = 0; i < 500; i++) {
            CountDownLatch done = new CountDownLatch(1);
            executor.execute(done::countDown);
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(((ThreadPoolExecutor) executor).getLargestPoolSize()).isLessThanOrEqualTo(
                Math.max(2, Runtime.getRuntime().availableProcessors()) + 1);
    }
}
