package io.courier.rpc.benchmark.report;

import io.courier.rpc.benchmark.load.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "Targets" section of the report: issue 13's targets for Courier, checked for every run,
 * load mode and method at {@value #CONCURRENCY} callers, each cell the ratio and ✅ or ❌.
 *
 * <ul>
 *   <li>ops/s ≥ {@value #MIN_THROUGHPUT} × {@code raw-netty}'s and p99 ≤ {@value #MAX_P99} × its;</li>
 *   <li>in async mode, ops/s ≥ {@value #MIN_THROUGHPUT_BATCHED} × {@code raw-netty-batched}'s;</li>
 *   <li>CPU per call, client plus server, ≤ {@value #MAX_CPU} × {@code raw-netty}'s;</li>
 *   <li>client allocation ≤ {@value #MAX_GET_USER_ALLOC} B per getUser call.</li>
 * </ul>
 *
 * <p>Not thread-safe: one instance writes one section.
 */
final class TargetsSection {

    /** Callers the targets are stated for. */
    static final int CONCURRENCY = 32;
    static final double MIN_THROUGHPUT = 0.8;
    static final double MAX_P99 = 1.5;
    static final double MIN_THROUGHPUT_BATCHED = 0.7;
    static final double MAX_CPU = 1.3;
    static final int MAX_GET_USER_ALLOC = 1024;

    private static final List<String> METHODS = List.of("getUser", "createUser", "listUser", "existUser");

    private final List<String> lines = new ArrayList<>();
    private int checked;
    private int met;

    /** Appends the section to {@code md}, or nothing when no group has Courier and the reference at the target callers. */
    static void append(StringBuilder md, List<ResultGroup> groups) {
        TargetsSection section = new TargetsSection();
        for (ResultGroup g : groups) {
            if (g.concurrency() == CONCURRENCY) {
                section.check(g);
            }
        }
        if (section.lines.isEmpty()) {
            return;
        }
        md.append("## Targets (issue 13, ").append(CONCURRENCY).append(" callers)\n\n");
        md.append(String.format(Locale.ROOT, "For every run, mode and method: Courier ops/s ≥ %.1f × `%s` and p99 ≤ "
                        + "%.1f × `%s`; in async mode ops/s ≥ %.1f × `%s`; CPU per call (client + server) ≤ %.1f × "
                        + "`%s`'s; client allocation ≤ %d B per getUser call. Each cell is Courier's figure divided by "
                        + "the reference's (the allocation cell is bytes). Sync mode has no batched target: its "
                        + "ratio is shown for information.%n%n",
                MIN_THROUGHPUT, ReportWriter.REFERENCE, MAX_P99, ReportWriter.REFERENCE, MIN_THROUGHPUT_BATCHED,
                ReportWriter.BATCHED_REFERENCE, MAX_CPU, ReportWriter.REFERENCE, MAX_GET_USER_ALLOC));
        md.append(String.format(Locale.ROOT, "**%d of %d targets met.**%n%n", section.met, section.checked));
        md.append(String.format(Locale.ROOT, "| Run | Mode | Method | ops/s ÷ raw (≥ %.1f) | p99 ÷ raw (≤ %.1f) "
                        + "| ops/s ÷ batched (≥ %.1f, async) | CPU/call ÷ raw (≤ %.1f) | client B/call (≤ %d, getUser) |%n",
                MIN_THROUGHPUT, MAX_P99, MIN_THROUGHPUT_BATCHED, MAX_CPU, MAX_GET_USER_ALLOC));
        md.append("|---|---|---|---|---|---|---|---|\n");
        section.lines.forEach(l -> md.append(l).append('\n'));
        md.append('\n');
    }

    private void check(ResultGroup g) {
        for (String method : METHODS) {
            RunResult c = g.find(ReportWriter.SUBJECT, method);
            RunResult raw = g.find(ReportWriter.REFERENCE, method);
            if (c == null || raw == null) {
                continue;
            }
            String tput = atLeast(c.opsPerSec(), raw.opsPerSec(), MIN_THROUGHPUT);
            String p99 = atMost(c.p99Us(), raw.p99Us(), MAX_P99);
            RunResult batched = g.find(ReportWriter.BATCHED_REFERENCE, method);
            String vsBatched;
            if (batched == null) {
                vsBatched = Cells.NONE;
            } else if (g.mode().equals("async")) {
                vsBatched = atLeast(c.opsPerSec(), batched.opsPerSec(), MIN_THROUGHPUT_BATCHED);
            } else {
                vsBatched = Cells.ratio(c.opsPerSec(), batched.opsPerSec());
            }
            String cpu = atMost(c.cpuUsPerCall(), raw.cpuUsPerCall(), MAX_CPU);
            String alloc = Cells.NONE;
            if (method.equals("getUser") && c.clientAllocBytesPerCall() >= 0) {
                alloc = Cells.bytes(c.clientAllocBytesPerCall()) + " " + count(c.clientAllocBytesPerCall() <= MAX_GET_USER_ALLOC);
            }
            lines.add(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s |", g.run(), g.mode(), method,
                    tput, p99, vsBatched, cpu, alloc));
        }
    }

    private String atLeast(double value, double reference, double minRatio) {
        String ratio = Cells.ratio(value, reference);
        return ratio.equals(Cells.NONE) ? ratio : ratio + " " + count(value / reference >= minRatio);
    }

    private String atMost(double value, double reference, double maxRatio) {
        String ratio = Cells.ratio(value, reference);
        return ratio.equals(Cells.NONE) ? ratio : ratio + " " + count(value / reference <= maxRatio);
    }

    private String count(boolean ok) {
        checked++;
        if (ok) {
            met++;
        }
        return Cells.mark(ok);
    }
}
