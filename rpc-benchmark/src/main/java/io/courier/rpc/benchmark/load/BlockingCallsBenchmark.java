package io.courier.rpc.benchmark.load;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Service methods that block (10 ms by default), served by the default pool and by a virtual
 * thread per call ({@link RpcServer.Builder#threadPerCall}), under the same closed-loop load:
 * many callers, each with one async call in flight. Provider and consumer share this JVM; what
 * is measured is how many blocked calls a server holds at once, not the transport.
 *
 * <pre>
 * java -cp "rpc-benchmark/target/rpc-benchmark-0.1.0-SNAPSHOT.jar:rpc-benchmark/target/lib/*" \
 *   io.courier.rpc.benchmark.load.BlockingCallsBenchmark [--callers=1000] [--block-ms=10] [--warmup=3] [--measure=10]
 * </pre>
 *
 * Prints one Markdown row per variant. Virtual threads need Java 21 or later; on an older JVM
 * that row says so. Run by {@code rpc-benchmark/run-blocking.sh}.
 */
public final class BlockingCallsBenchmark {

    /** A method that keeps its thread for a fixed time, as a call to a slow database would. */
    public interface SlowService {

        CompletableFuture<Integer> slow(int n);
    }

    private BlockingCallsBenchmark() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int callers = args.getInt("callers", 1000);
        long blockNanos = TimeUnit.MILLISECONDS.toNanos(args.getInt("block-ms", 10));
        int warmup = args.getInt("warmup", 3);
        int measure = args.getInt("measure", 10);
        System.out.printf(Locale.ROOT, "Service method blocking %d ms, %d callers, warm-up %d s, measurement %d s, "
                + "Java %s, %d cores%n%n", TimeUnit.NANOSECONDS.toMillis(blockNanos), callers, warmup, measure,
                Runtime.version().feature(), Runtime.getRuntime().availableProcessors());
        System.out.println("| Server | concurrency limit | calls/s | p50 ms | p99 ms | SERVER_BUSY | other errors |");
        System.out.println("|---|--:|--:|--:|--:|--:|--:|");
        int limit = Math.max(callers, 1);
        run("default pool (200 threads, queue 1024)", ServerOptions.builder(), null, 200, callers, blockNanos,
                warmup, measure);
        run("pool of " + limit + " threads", ServerOptions.builder().workerThreads(limit), null, limit, callers,
                blockNanos, warmup, measure);
        ThreadFactory virtual = virtualThreads();
        if (virtual == null) {
            System.out.printf(Locale.ROOT, "| virtual thread per call | %d | needs Java 21+ | | | | |%n", limit);
        } else {
            run("virtual thread per call", ServerOptions.builder().workerThreads(limit), virtual, limit, callers,
                    blockNanos, warmup, measure);
        }
    }

    private static void run(String name, ServerOptions.Builder options, ThreadFactory threads, int limit, int callers,
            long blockNanos, int warmup, int measure) throws Exception {
        SlowService impl = n -> {
            LockSupport.parkNanos(blockNanos);
            return CompletableFuture.completedFuture(n);
        };
        RpcServer.Builder server = RpcServer.builder().options(options.host("127.0.0.1").port(0).build())
                .service(SlowService.class, impl);
        if (threads != null) {
            server.threadPerCall(threads);
        }
        try (RpcServer running = server.build().start();
                RpcClient client = RpcClient.builder()
                        .options(ClientOptions.builder().requestTimeout(Duration.ofSeconds(30)).build()).build()) {
            SlowService slow = client.reference(ReferenceConfig.builder(SlowService.class)
                    .address("127.0.0.1:" + running.address().getPort()).retries(0).build());
            Load load = new Load(slow, callers);
            load.start();
            TimeUnit.SECONDS.sleep(warmup);
            load.reset();
            TimeUnit.SECONDS.sleep(measure);
            Histogram latencies = load.recorder.getIntervalHistogram();
            long busy = load.busy.sumThenReset();
            long other = load.other.sumThenReset();
            load.stop();
            System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %.1f | %.1f | %,d | %,d |%n", name, limit,
                    latencies.getTotalCount() / (double) measure, latencies.getValueAtPercentile(50) / 1e6,
                    latencies.getValueAtPercentile(99) / 1e6, busy, other);
        }
    }

    /** Thread.ofVirtual().name(...).factory() where the JVM has it (Java 21+), else {@code null}. */
    private static ThreadFactory virtualThreads() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, "courier-call-", 0L);
            return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** Closed loop: each caller sends its next call when the last one ends, whatever its outcome. */
    private static final class Load {

        private final SlowService slow;
        private final int callers;
        private final Recorder recorder = new Recorder(1, TimeUnit.MINUTES.toNanos(1), 3);
        private final LongAdder busy = new LongAdder();
        private final LongAdder other = new LongAdder();
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile boolean running = true;

        Load(SlowService slow, int callers) {
            this.slow = slow;
            this.callers = callers;
        }

        void start() {
            for (int i = 0; i < callers; i++) {
                call(i);
            }
        }

        void reset() {
            recorder.reset();
            busy.reset();
            other.reset();
        }

        void stop() {
            running = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }

        private void call(int n) {
            if (!running) {
                return;
            }
            inFlight.incrementAndGet();
            long start = System.nanoTime();
            slow.slow(n).whenComplete((value, error) -> {
                inFlight.decrementAndGet();
                if (error == null) {
                    recorder.recordValue(Math.min(System.nanoTime() - start, TimeUnit.MINUTES.toNanos(1)));
                } else {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof RpcException e && e.code() == RpcErrorCode.SERVER_BUSY) {
                        busy.increment();
                    } else {
                        other.increment();
                    }
                }
                call(n);
            });
        }
    }
}
