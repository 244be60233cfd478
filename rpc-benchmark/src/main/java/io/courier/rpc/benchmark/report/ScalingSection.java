package io.courier.rpc.benchmark.report;

import io.courier.rpc.benchmark.load.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The "Scaling" section of the report, from the scaling phase's results: Courier next to the raw
 * Netty reference for getUser as the callers grow, and for getProfile (getUser plus a bio) as the
 * response grows. For each load mode one table per sweep: ops/s, p99 and cores in use (client +
 * server) of every contender, and Courier ÷ reference for ops/s and p99.
 *
 * <p>Stateless and thread-safe.
 */
final class ScalingSection {

    private static final String PROFILE_PREFIX = "getProfile:";

    private ScalingSection() {
    }

    /** Appends the section to {@code md}, or nothing when there are no results. */
    static void append(StringBuilder md, List<RunResult> results) {
        if (results.isEmpty()) {
            return;
        }
        md.append("## Scaling\n\n");
        md.append("A separate phase of `run.sh` (`SCALING=0` skips it), with its own server and client JVMs per ")
                .append("contender and mode. **Callers**: getUser at each number of callers. **Payload**: ")
                .append("`getProfile(id, bioBytes)`, the getUser user plus a bio string of that many bytes ")
                .append("(served by Courier and the raw references only). Cores are the client's and the server's ")
                .append("process CPU time over the window's wall time: a low sum at low throughput means callers ")
                .append("waited while the CPU idled, a stall. Ratios divide Courier's figure by `")
                .append(ReportWriter.REFERENCE).append("`'s.\n\n");
        Set<String> modes = new LinkedHashSet<>();
        results.forEach(r -> modes.add(r.mode()));
        for (String mode : modes) {
            List<RunResult> rs = results.stream().filter(r -> r.mode().equals(mode)).toList();
            List<RunResult> callers = rs.stream().filter(r -> r.method().equals("getUser")).toList();
            if (!callers.isEmpty()) {
                table(md, "Callers: getUser, " + mode, "Callers", callers, RunResult::concurrency, String::valueOf);
            }
            List<RunResult> payload = rs.stream().filter(isProfile()).toList();
            if (!payload.isEmpty()) {
                Set<Integer> conc = new LinkedHashSet<>();
                payload.forEach(r -> conc.add(r.concurrency()));
                table(md, "Payload: getProfile, " + mode + ", " + join(conc) + " callers", "Bio", payload,
                        ScalingSection::bioBytes, Cells::size);
            }
        }
    }

    /** Returns the bio size of a {@code getProfile:<bytes>} result. */
    static int bioBytes(RunResult r) {
        return Integer.parseInt(r.method().substring(PROFILE_PREFIX.length()));
    }

    private static Predicate<RunResult> isProfile() {
        return r -> r.method().startsWith(PROFILE_PREFIX);
    }

    private static void table(StringBuilder md, String title, String keyName, List<RunResult> rs,
            ToIntFunction<RunResult> key, IntFunction<String> keyLabel) {
        RunResult first = rs.get(0);
        md.append(String.format(Locale.ROOT, "### %s (warm-up %.0f s, measurement %.0f s)%n%n", title,
                first.warmupSeconds(), first.measureSeconds()));
        List<String> contenders = ResultGroup.contenders(rs);
        StringBuilder header = new StringBuilder("| ").append(keyName);
        StringBuilder rule = new StringBuilder("|--:");
        for (String metric : List.of("ops/s", "p99 µs")) {
            for (String c : contenders) {
                header.append(" | ").append(c).append(' ').append(metric);
                rule.append("|--:");
            }
            header.append(" | ").append(metric).append(" ÷ raw");
            rule.append("|--:");
        }
        for (String c : contenders) {
            header.append(" | ").append(c).append(" cores (client + server)");
            rule.append("|--:");
        }
        md.append(header).append(" |\n").append(rule).append("|\n");
        Set<Integer> keys = new LinkedHashSet<>();
        rs.forEach(r -> keys.add(key.applyAsInt(r)));
        for (int k : keys.stream().sorted().toList()) {
            List<RunResult> row = rs.stream().filter(r -> key.applyAsInt(r) == k).toList();
            RunResult subject = find(row, ReportWriter.SUBJECT);
            RunResult reference = find(row, ReportWriter.REFERENCE);
            StringBuilder line = new StringBuilder("| ").append(keyLabel.apply(k));
            appendMetric(line, row, contenders, RunResult::opsPerSec, "%,.0f", subject, reference);
            appendMetric(line, row, contenders, RunResult::p99Us, "%,.0f", subject, reference);
            for (String c : contenders) {
                RunResult r = find(row, c);
                line.append(" | ").append(r == null ? Cells.NONE
                        : Cells.cores(r.clientCores()) + " + " + Cells.cores(r.serverCores()));
            }
            md.append(line).append(" |\n");
        }
        md.append('\n');
    }

    private static void appendMetric(StringBuilder line, List<RunResult> row, List<String> contenders,
            Function<RunResult, Double> metric, String format, RunResult subject, RunResult reference) {
        for (String c : contenders) {
            RunResult r = find(row, c);
            line.append(" | ").append(r == null ? Cells.NONE : String.format(Locale.ROOT, format, metric.apply(r)));
        }
        line.append(" | ").append(subject == null || reference == null ? Cells.NONE
                : Cells.ratio(metric.apply(subject), metric.apply(reference)));
    }

    private static RunResult find(List<RunResult> row, String contender) {
        // The phase measures each point once; should a file hold more, the last one wins.
        RunResult found = null;
        for (RunResult r : row) {
            if (r.contender().equals(contender)) {
                found = r;
            }
        }
        return found;
    }

    private static String join(Set<Integer> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(Integer.toString(v)));
        return String.join("/", out);
    }
}
