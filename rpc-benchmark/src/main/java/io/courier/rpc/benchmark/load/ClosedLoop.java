package io.courier.rpc.benchmark.load;

import io.courier.rpc.benchmark.contender.ClientAdapter;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A closed-loop load generator: N callers, each with exactly one call in flight, sending the next
 * call as soon as the previous one completes. Latency is measured per call from just before the
 * call is issued to its completion, into a wait-free HdrHistogram {@link Recorder}.
 *
 * <p>Thread-safe. Start once, read {@link #interval()} at phase boundaries, {@link #stop} once.
 * Recording allocates nothing, so the callers' own allocation per call is what the contender's
 * client does, plus (in async mode) the one {@code whenComplete} node the generator adds.
 */
public final class ClosedLoop {

    /** Latencies above one minute are clamped (a call timing out takes 10 s). */
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ClientAdapter client;
    private final Workload workload;
    private final LoadMode mode;
    private final int concurrency;
    private final Recorder recorder = new Recorder(1, HIGHEST_NANOS, 3);
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final CountDownLatch stopped;
    private volatile boolean running = true;
    private volatile Throwable firstError;

    private ClosedLoop(ClientAdapter client, Workload workload, LoadMode mode, int concurrency) {
        this.client = client;
        this.workload = workload;
        this.mode = mode;
        this.concurrency = concurrency;
        this.stopped = new CountDownLatch(concurrency);
    }

    /** Starts {@code concurrency} callers. */
    public static ClosedLoop start(ClientAdapter client, Workload workload, LoadMode mode, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
        }
        if (workload.needsProfiles() && client.profiles().isEmpty()) {
            throw new IllegalArgumentException("workload: " + workload + " (expected: a contender serving getProfile)");
        }
        if (workload.needsStreams() && client.streams().isEmpty()) {
            throw new IllegalArgumentException("workload: " + workload + " (expected: a contender serving streamUsers)");
        }
        ClosedLoop loop = new ClosedLoop(client, workload, mode, concurrency);
        for (int i = 0; i < concurrency; i++) {
            if (mode == LoadMode.ASYNC) {
                new AsyncCaller(loop).issue();
            } else {
                Thread t = new Thread(loop::runBlockingCaller, "bench-caller-" + i);
                t.setDaemon(true);
                t.start();
            }
        }
        return loop;
    }

    /** Returns the latencies recorded since the previous call (or the start) and resets. */
    public Histogram interval() {
        return recorder.getIntervalHistogram();
    }

    /** Returns the number of failed calls since the previous call (or the start) and resets. */
    public long takeErrors() {
        return errors.getAndSet(0);
    }

    /** Returns the first failure seen, for diagnostics, or {@code null}. */
    public Throwable firstError() {
        return firstError;
    }

    /** Returns how many calls have been issued since the start. */
    public long callsIssued() {
        return sequence.get();
    }

    /** Returns the number of callers. */
    public int concurrency() {
        return concurrency;
    }

    /**
     * Stops issuing calls and waits for the calls in flight to complete.
     *
     * @return whether every caller stopped within {@code timeout}
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        running = false;
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void record(long startNanos, Throwable error) {
        long latency = System.nanoTime() - startNanos;
        if (error == null) {
            recorder.recordValue(Math.max(1, Math.min(latency, HIGHEST_NANOS)));
        } else {
            if (firstError == null) {
                firstError = error;
            }
            errors.incrementAndGet();
        }
    }

    private void runBlockingCaller() {
        try {
            while (running) {
                long seq = sequence.getAndIncrement();
                long start = System.nanoTime();
                Throwable error = null;
                try {
                    workload.callBlocking(client, seq);
                } catch (RuntimeException e) {
                    error = e;
                }
                record(start, error);
            }
        } finally {
            stopped.countDown();
        }
    }

    /**
     * One asynchronous caller. Its next call is issued by the completion callback of the previous
     * one; a call that completes before {@code whenComplete} returns (a synchronous failure) is
     * continued by the issuing loop instead, so the stack never grows.
     */
    private static final class AsyncCaller implements BiConsumer<Object, Throwable> {

        private static final int IDLE = 0;
        private static final int ISSUING = 1;
        private static final int COMPLETED_WHILE_ISSUING = 2;

        private final ClosedLoop loop;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private long startNanos;

        AsyncCaller(ClosedLoop loop) {
            this.loop = loop;
        }

        void issue() {
            while (true) {
                state.set(ISSUING);
                long seq = loop.sequence.getAndIncrement();
                startNanos = System.nanoTime();
                CompletableFuture<?> call;
                try {
                    call = loop.workload.call(loop.client, seq);
                } catch (RuntimeException e) {
                    call = CompletableFuture.failedFuture(e);
                }
                call.whenComplete(this);
                if (state.compareAndSet(ISSUING, IDLE)) {
                    return;
                }
                if (!loop.running) {
                    loop.stopped.countDown();
                    return;
                }
            }
        }

        @Override
        public void accept(Object result, Throwable error) {
            loop.record(startNanos, error);
            if (state.compareAndSet(ISSUING, COMPLETED_WHILE_ISSUING)) {
                return;
            }
            if (loop.running) {
                issue();
            } else {
                loop.stopped.countDown();
            }
        }
    }
}
