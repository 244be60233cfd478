package io.courier.rpc.benchmark.report;

import io.courier.rpc.benchmark.load.RunResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the results of a run.sh session into {@code docs/benchmarks.md} (setup, the issue's
 * targets ({@link TargetsSection}), one table per run, mode and concurrency, the scaling phase
 * ({@link ScalingSection}), the TLS phase ({@link TlsSection}), the streaming phase
 * ({@link StreamingSection}), the HTTP phase ({@link HttpSection}), the JMH table) and {@code docs/benchmarks.svg} (throughput and p99 per
 * contender and method of the first mode, averaged over runs).
 *
 * <pre>
 * java -cp ... io.courier.rpc.benchmark.report.ReportWriter [--results=results.jsonl] [--jmh=jmh.json]
 *     [--scaling=scaling.jsonl] [--tls=tls.jsonl] [--streaming=streaming.jsonl] --md=docs/benchmarks.md
 *     --svg=docs/benchmarks.svg --command="..." --jvm-flags="..." --prewarm=60 [--tls-prewarm=30]
 *     [--streaming-prewarm=30] [--load="..."] [--http=http.jsonl] [--http-prewarm=30]
 * </pre>
 *
 * <p>Each results file may be missing or empty (its phase was skipped): its sections are left out.
 *
 * <p>Not thread-safe; run once from {@code main}.
 */
public final class ReportWriter {

    /** The reference every ratio divides by. */
    static final String REFERENCE = "raw-netty";
    /** The higher ceiling, shown beside the reference in the targets. */
    static final String BATCHED_REFERENCE = "raw-netty-batched";
    /** The contender the targets are about. */
    static final String SUBJECT = "courier";

    private final List<RunResult> results;
    private final List<RunResult> scaling;
    private final List<RunResult> tls;
    private final List<RunResult> streaming;
    private final List<JmhResult> jmh;
    private final MachineInfo machine;
    private final String command;
    private final String jvmFlags;
    private final String prewarmSeconds;
    private final String tlsPrewarmSeconds;
    private final String streamingPrewarmSeconds;
    private final String load;
    private final List<RunResult> http;
    private final String httpPrewarmSeconds;
    private final ZonedDateTime date;

    private ReportWriter(List<RunResult> results, List<RunResult> scaling, List<RunResult> tls,
            List<RunResult> streaming, List<JmhResult> jmh, MachineInfo machine, String command, String jvmFlags,
            String prewarmSeconds, String tlsPrewarmSeconds, String streamingPrewarmSeconds, String load,
            ZonedDateTime date, List<RunResult> http, String httpPrewarmSeconds) {
        this.results = results;
        this.scaling = scaling;
        this.tls = tls;
        this.streaming = streaming;
        this.jmh = jmh;
        this.machine = machine;
        this.command = command;
        this.jvmFlags = jvmFlags;
        this.prewarmSeconds = prewarmSeconds;
        this.tlsPrewarmSeconds = tlsPrewarmSeconds;
        this.streamingPrewarmSeconds = streamingPrewarmSeconds;
        this.load = load;
        this.date = date;
        this.http = http;
        this.httpPrewarmSeconds = httpPrewarmSeconds;
    }

    public static void main(String[] argv) throws IOException {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 3) {
                throw new IllegalArgumentException("argument: '" + a + "' (expected: --name=value)");
            }
            args.put(a.substring(2, eq), a.substring(eq + 1));
        }
        List<RunResult> results = readOptional(args.get("results"));
        List<RunResult> scaling = readOptional(args.get("scaling"));
        List<RunResult> tls = readOptional(args.get("tls"));
        List<RunResult> streaming = readOptional(args.get("streaming"));
        List<JmhResult> jmh = List.of();
        String jmhFile = args.get("jmh");
        if (jmhFile != null && !jmhFile.isBlank() && Files.exists(Path.of(jmhFile))) {
            jmh = JmhResult.read(Path.of(jmhFile));
        }
        ReportWriter report = new ReportWriter(results, scaling, tls, streaming, jmh, MachineInfo.current(),
                args.getOrDefault("command", "?"), args.getOrDefault("jvm-flags", "?"), args.getOrDefault("prewarm", "?"),
                args.getOrDefault("tls-prewarm", "?"), args.getOrDefault("streaming-prewarm", "?"),
                args.getOrDefault("load", "not recorded"), ZonedDateTime.now(ZoneOffset.UTC),
                readOptional(args.get("http")), args.getOrDefault("http-prewarm", "?"));
        write(Path.of(require(args, "md")), report.markdown());
        write(Path.of(require(args, "svg")), report.svg());
    }

    /** Reads a results file, or returns nothing when there is none (its phase did not run). */
    private static List<RunResult> readOptional(String file) throws IOException {
        return file == null || file.isBlank() || !Files.exists(Path.of(file)) ? List.of() : readResults(Path.of(file));
    }

    private static List<RunResult> readResults(Path file) throws IOException {
        List<RunResult> results = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                results.add(RunResult.fromJson(line));
            }
        }
        return results;
    }

    private static String require(Map<String, String> args, String name) {
        return Objects.requireNonNull(args.get(name), () -> "--" + name + " is required");
    }

    private static void write(Path file, String content) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Courier RPC benchmarks\n\n");
        md.append("Generated by `rpc-benchmark/run.sh` on ").append(date.format(DateTimeFormatter.ofPattern(
                "yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))).append(". Do not edit: run the script again.\n\n");
        md.append("![Throughput and p99 latency per contender and method](benchmarks.svg)\n\n");
        md.append("## Setup\n\n");
        md.append("- Machine: ").append(machine.summary()).append(".\n");
        md.append("- Other load on the machine (").append(load)
                .append("; the suite itself adds about 2 while it runs).\n");
        md.append("- Command: `").append(command).append("`\n");
        md.append("- JVM flags, identical for every server and client JVM: `").append(jvmFlags).append("`\n");
        md.append("- Each contender runs as a server JVM and a client JVM over loopback, one contender at a time. ")
                .append("The client first prewarms for ").append(prewarmSeconds)
                .append(" s with a mix of all four methods, then for each concurrency and method warms up and ")
                .append("measures (durations in the tables).\n");
        md.append("- Load: a closed loop of N callers, each with one call in flight and issuing the next when the ")
                .append("previous completes. `async` mode drives each contender's future-returning API from the ")
                .append("completion callback (no thread per caller); `sync` mode uses N threads and the blocking ")
                .append("API. Latency runs from just before a call is issued to its completion (HdrHistogram).\n");
        md.append("- Allocation: client B/call sums `ThreadMXBean#getThreadAllocatedBytes` deltas over every live ")
                .append("thread of the client JVM (callers, I/O and callback threads) across the measurement ")
                .append("window, divided by the calls completed; async mode includes the generator's one ")
                .append("`whenComplete` node (about 40 B). Server B/call uses the server JVM's total allocation ")
                .append("counter, sampled every 100 ms. CPU µs/call is process CPU time (user + system) per call.\n");
        md.append("- Cores: each JVM's process CPU time over the measurement window divided by the window's wall ")
                .append("time (client: read in the client JVM; server: its 100 ms samples). With ")
                .append(machine.cores()).append(" cores shared by both JVMs, a busy pair sums to about ")
                .append(machine.cores()).append("; a low sum at low throughput is a stall: callers waiting while ")
                .append("the CPU idles.\n");
        md.append("- Ratios divide by the raw Netty reference of the same run, mode and concurrency.\n\n");
        if (!results.isEmpty()) {
            ResultGroup.appendContenderTable(md, results);
        }
        List<ResultGroup> groups = ResultGroup.of(results);
        TargetsSection.append(md, groups);
        for (ResultGroup g : groups) {
            RunResult first = g.rows().get(0);
            md.append(String.format(Locale.ROOT, "## Run %d: %s, %d callers (warm-up %.0f s, measurement %.0f s)%n%n",
                    g.run(), g.mode(), g.concurrency(), first.warmupSeconds(), first.measureSeconds()));
            md.append("| Method | Contender | ops/s | × raw | client cores | server cores | p50 µs | p99 µs | p99.9 µs "
                    + "| p99 × raw | client B/call | server B/call | client CPU µs/call | server CPU µs/call | errors |\n");
            md.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            for (String method : g.methods()) {
                RunResult ref = g.find(REFERENCE, method);
                for (String contender : g.contenders()) {
                    RunResult r = g.find(contender, method);
                    if (r != null) {
                        md.append(row(r, ref));
                    }
                }
            }
            md.append('\n');
        }
        ScalingSection.append(md, scaling);
        TlsSection.append(md, tls, tlsPrewarmSeconds);
        StreamingSection.append(md, streaming, streamingPrewarmSeconds);
        HttpSection.append(md, http, httpPrewarmSeconds);
        if (!jmh.isEmpty()) {
            md.append("## Codec microbenchmarks (JMH, `-prof gc`)\n\n");
            md.append("Encode and decode of one frame or body per operation, on one thread; B/op is ")
                    .append("`gc.alloc.rate.norm`. `courier*` run the real `FrameWriter`, `RpcFrameDecoder`, ")
                    .append("`RpcMessageDecoder` and `KryoSerializer`; `rawNetty*` the reference's frame decoder and ")
                    .append("hand codec; `*Body` rows the body encodings alone.\n\n");
            md.append("| Benchmark | Score | ± | Unit | B/op |\n|---|--:|--:|---|--:|\n");
            for (JmhResult r : jmh) {
                md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s | %s |%n", r.benchmark(), r.score(),
                        r.error(), r.unit(), r.bytesPerOp() < 0 ? "–" : String.format(Locale.ROOT, "%.0f",
                                r.bytesPerOp())));
            }
            md.append('\n');
        }
        md.append("## Caveats\n\n");
        md.append("- Client and server share the machine's cores, so a contender whose client burns more CPU ")
                .append("leaves less for its server. This is the same for every contender, but it means these are ")
                .append("not server-only numbers.\n");
        md.append("- The raw Netty references run the service on the event loop and have no timeouts, retries, ")
                .append("service lookup or serialization framework: they are ceilings, not peers. `raw-netty` ")
                .append("flushes every request; `raw-netty-batched` consolidates the flushes of requests issued ")
                .append("while a read is in progress, as Courier's client pipeline does, and is much faster for ")
                .append("small messages because async callbacks run on its event loop.\n");
        md.append("- Courier, Dubbo and gRPC run with default settings (thread pools, executors) apart from ")
                .append("hessian2 pinned for Dubbo, epoll enabled for Dubbo (`-Dnetty.epoll.enable=true`; ")
                .append("the others use epoll by default) and a 10 s timeout/deadline on every call.\n");
        md.append("- Short runs (seconds) are dominated by JIT and GC noise; compare runs made with the long defaults.\n");
        return md.toString();
    }

    private static String row(RunResult r, RunResult ref) {
        return String.format(Locale.ROOT,
                "| %s | %s | %,.0f | %s | %s | %s | %.0f | %.0f | %.0f | %s | %s | %s | %.1f | %s | %d |%n",
                r.method(), r.contender(), r.opsPerSec(),
                ref == null ? Cells.NONE : Cells.ratio(r.opsPerSec(), ref.opsPerSec()),
                Cells.cores(r.clientCores()), Cells.cores(r.serverCores()),
                r.p50Us(), r.p99Us(), r.p999Us(),
                ref == null ? Cells.NONE : Cells.ratio(r.p99Us(), ref.p99Us()),
                Cells.bytes(r.clientAllocBytesPerCall()), Cells.bytes(r.serverAllocBytesPerCall()),
                r.clientCpuUsPerCall(), Cells.micros(r.serverCpuUsPerCall()),
                r.errors());
    }

    String svg() {
        List<ResultGroup> groups = ResultGroup.of(results);
        if (groups.isEmpty()) {
            return new BarChart("Courier RPC benchmarks", List.of("no results"), List.of()).toSvg();
        }
        ResultGroup first = groups.get(0);
        List<RunResult> selected = new ArrayList<>();
        Set<Integer> runs = new LinkedHashSet<>();
        for (ResultGroup g : groups) {
            if (g.mode().equals(first.mode()) && g.concurrency() == first.concurrency()) {
                selected.addAll(g.rows());
                runs.add(g.run());
            }
        }
        List<String> methods = ResultGroup.methods(selected);
        List<String> contenders = ResultGroup.contenders(selected);
        double[][] tput = new double[methods.size()][contenders.size()];
        double[][] p99 = new double[methods.size()][contenders.size()];
        for (int m = 0; m < methods.size(); m++) {
            for (int c = 0; c < contenders.size(); c++) {
                double t = 0;
                double p = 0;
                int n = 0;
                for (RunResult r : selected) {
                    if (r.method().equals(methods.get(m)) && r.contender().equals(contenders.get(c))) {
                        t += r.opsPerSec();
                        p += r.p99Us();
                        n++;
                    }
                }
                tput[m][c] = n == 0 ? Double.NaN : t / n;
                p99[m][c] = n == 0 ? Double.NaN : p / n;
            }
        }
        String title = String.format(Locale.ROOT, "Courier RPC vs Dubbo, gRPC and raw Netty: %s, %d callers",
                first.mode(), first.concurrency());
        RunResult sample = selected.get(0);
        List<String> subtitle = List.of(
                date.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)) + " · "
                        + machine.summary(),
                String.format(Locale.ROOT, "prewarm %s s, then warm-up %.0f s and measurement %.0f s per method · "
                        + "mean of %d run%s · hover a bar for its exact value", prewarmSeconds, sample.warmupSeconds(),
                        sample.measureSeconds(), runs.size(), runs.size() == 1 ? "" : "s"),
                "JVM flags (all JVMs): " + jvmFlags);
        return new BarChart(title, subtitle, contenders)
                .panel("Throughput (calls/s, higher is better)", methods, tput)
                .panel("p99 latency (µs, lower is better)", methods, p99)
                .toSvg();
    }
}
