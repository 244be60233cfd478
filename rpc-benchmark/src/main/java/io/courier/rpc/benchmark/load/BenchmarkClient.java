package io.courier.rpc.benchmark.load;

import io.courier.rpc.benchmark.contender.ClientAdapter;
import io.courier.rpc.benchmark.contender.Contender;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Client JVM of a benchmark run: connects to a running {@link BenchmarkServer}, prewarms with a
 * mix of all four methods, then for each concurrency and method warms up and measures, appending
 * one {@link RunResult} JSON line per measurement to the results file.
 *
 * <pre>
 * java ... io.courier.rpc.benchmark.load.BenchmarkClient --contender=courier [--host=127.0.0.1]
 *     [--port=7070] [--mode=async|sync] [--concurrency=32[,1,128]]
 *     [--methods=getUser,listUser,existUser,createUser] [--prewarm=60] [--warmup=10] [--measure=30]
 *     [--results=results.jsonl] [--server-stats=server-stats.tsv] [--run=1]
 *     [--prewarm-method=mix] [--prewarm-concurrency=first of --concurrency] [--tls-dir=DIR]
 * </pre>
 *
 * <p>Durations are in seconds. Methods are the four of the workload or, for contenders that serve
 * them, {@code getProfile:<bio bytes>} and {@code streamUsers:<messages>} (see {@link Workload#of};
 * a stream is one call, its latency the time to its last message). The prewarm runs {@code mix}, all
 * four methods in turn, at the first listed concurrency unless told otherwise. Exits non-zero
 * when any measured call failed.
 */
public final class BenchmarkClient {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

    private BenchmarkClient() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Contender contender = Contenders.byName(args.require("contender"), args.getPath("tls-dir"));
        String host = args.get("host", "127.0.0.1");
        int port = args.getInt("port", 7070);
        LoadMode mode = LoadMode.of(args.get("mode", "async"));
        List<Integer> concurrencies = new ArrayList<>();
        for (String c : args.getList("concurrency", "32")) {
            concurrencies.add(Integer.parseInt(c));
        }
        List<Workload> methods = new ArrayList<>();
        for (String m : args.getList("methods", "getUser,listUser,existUser,createUser")) {
            methods.add(Workload.of(m));
        }
        Workload prewarmWorkload = Workload.of(args.get("prewarm-method", "mix"));
        int prewarmConcurrency = args.getInt("prewarm-concurrency", concurrencies.get(0));
        Duration prewarm = args.getSeconds("prewarm", 60);
        Duration warmup = args.getSeconds("warmup", 10);
        Duration measure = args.getSeconds("measure", 30);
        Path results = Path.of(args.get("results", "results.jsonl"));
        int run = args.getInt("run", 1);
        String statsFile = args.get("server-stats", null);
        Path serverStats = statsFile == null ? null : Path.of(statsFile);

        long failures = 0;
        try (ClientAdapter client = connect(contender, host, port)) {
            if (!prewarm.isZero()) {
                log("%s: prewarm %ds, %s, %s x%d", contender.name(), prewarm.toSeconds(), prewarmWorkload,
                        mode.label(), prewarmConcurrency);
                ClosedLoop loop = ClosedLoop.start(client, prewarmWorkload, mode, prewarmConcurrency);
                Thread.sleep(prewarm.toMillis());
                long errors = loop.takeErrors();
                stop(loop);
                if (errors > 0) {
                    log("%s: %d prewarm calls failed, first: %s", contender.name(), errors, loop.firstError());
                }
            }
            ResourceMeter meter = new ResourceMeter();
            for (int concurrency : concurrencies) {
                for (Workload method : methods) {
                    RunResult r = measure(run, contender, client, method, mode, concurrency, warmup, measure, meter,
                            serverStats);
                    Files.writeString(results, r.toJson() + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    log("%-10s %-10s %-5s x%-3d %10.0f ops/s  p50 %7.1f  p99 %7.1f  p99.9 %7.1f us  "
                                    + "alloc %6.0f B/call (server %6.0f)  cores %.2f + %.2f  errors %d",
                            r.contender(), r.method(), r.mode(), r.concurrency(), r.opsPerSec(), r.p50Us(),
                            r.p99Us(), r.p999Us(), r.clientAllocBytesPerCall(), r.serverAllocBytesPerCall(),
                            r.clientCores(), r.serverCores(), r.errors());
                    if (method.needsStreams()) {
                        log("%-10s %-18s %-5s x%-3d %10.0f messages/s  time to last message p50 %7.2f  p99 %7.2f ms",
                                r.contender(), r.method(), r.mode(), r.concurrency(), r.opsPerSec() * method.messagesPerCall(),
                                r.p50Us() / 1e3, r.p99Us() / 1e3);
                    }
                    failures += r.errors();
                }
            }
        }
        if (failures > 0) {
            log("%d calls failed", failures);
            System.exit(1);
        }
        // Some peers leave non-daemon threads behind after close.
        System.exit(0);
    }

    private static RunResult measure(int run, Contender contender, ClientAdapter client, Workload method,
            LoadMode mode, int concurrency, Duration warmup, Duration measure, ResourceMeter meter, Path serverStats)
            throws InterruptedException, IOException {
        ClosedLoop loop = ClosedLoop.start(client, method, mode, concurrency);
        Thread.sleep(warmup.toMillis());
        loop.interval();
        loop.takeErrors();
        long startMillis = System.currentTimeMillis();
        ResourceMeter.Snapshot before = meter.snapshot();
        Thread.sleep(measure.toMillis());
        ResourceMeter.Snapshot after = meter.snapshot();
        long endMillis = System.currentTimeMillis();
        Histogram h = loop.interval();
        long errors = loop.takeErrors();
        Throwable firstError = loop.firstError();
        stop(loop);
        if (errors > 0) {
            log("%s %s: %d calls failed, first: %s", contender.name(), method.methodName(), errors, firstError);
        }

        double seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
        long calls = h.getTotalCount();
        double perCall = Math.max(1, calls + errors);
        double serverAlloc = -1;
        double serverCpu = -1;
        if (serverStats != null) {
            // Let the server write a sample past the end of the window.
            Thread.sleep(3L * ServerStats.PERIOD_MILLIS);
            ServerStats.Window w = ServerStats.window(serverStats, startMillis, endMillis);
            if (w != null) {
                serverAlloc = w.allocatedBytes() / perCall;
                serverCpu = w.cpuNanos() / 1e3 / perCall;
            }
        }
        return new RunResult(run, contender.name(), method.methodName(), mode.label(), concurrency,
                warmup.toMillis() / 1e3, seconds, calls, errors, calls / seconds,
                h.getMean() / 1e3, micros(h, 50), micros(h, 90), micros(h, 99), micros(h, 99.9),
                h.getMaxValue() / 1e3,
                after.allocatedSince(before) / perCall, after.totalAllocatedSince(before) / perCall,
                after.cpuNanosSince(before) / 1e3 / perCall, serverAlloc, serverCpu, startMillis, endMillis);
    }

    private static double micros(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }

    private static void stop(ClosedLoop loop) throws InterruptedException {
        if (!loop.stop(STOP_TIMEOUT)) {
            throw new IllegalStateException("Callers did not stop within " + STOP_TIMEOUT);
        }
    }

    /** Connects, retrying while the server JVM is still starting. */
    private static ClientAdapter connect(Contender contender, String host, int port) throws Exception {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (true) {
            try {
                return contender.connect(host, port);
            } catch (Exception e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
