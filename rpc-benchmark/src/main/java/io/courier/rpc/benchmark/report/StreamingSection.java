package io.courier.rpc.benchmark.report;

import io.courier.rpc.benchmark.load.RunResult;
import io.courier.rpc.benchmark.load.Workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The "Streaming" section of the report, from run.sh's streaming phase: Courier next to gRPC,
 * each caller opening a server stream of users, consuming it whole and opening the next. For
 * each load mode a table of messages/s, streams/s, p50 and p99 time to the last message, client
 * and server cores and CPU per message, with ratios to gRPC in the same mode; then issue 15's
 * target, Courier messages/s ≥ {@value #MIN_MESSAGES_RATIO} × gRPC's with a lower p99, met or
 * missed at each number of callers, comparing each contender's fastest mode (how a user who
 * measured would consume it).
 *
 * <p>Stateless and thread-safe.
 */
final class StreamingSection {

    /** The contender every ratio divides by. */
    static final String BASELINE = "grpc";
    /** The contender the target is about. */
    static final String SUBJECT = ReportWriter.SUBJECT;
    static final double MIN_MESSAGES_RATIO = 2.0;

    private StreamingSection() {
    }

    /** Appends the section to {@code md}, or nothing when there are no results; the prewarm is for the text. */
    static void append(StringBuilder md, List<RunResult> results, String prewarmSeconds) {
        List<RunResult> streams = results.stream().filter(r -> Workload.of(r.method()).needsStreams()).toList();
        if (streams.isEmpty()) {
            return;
        }
        md.append("## Streaming\n\n");
        md.append("A separate phase of `run.sh` (`STREAMING=0` skips it), with its own server and client JVMs per ")
                .append("contender and mode (the client prewarms for ").append(prewarmSeconds)
                .append(" s on the same streams): N callers, each opening a server stream of users (the `User` of ")
                .append("getUser, built by the provider as its consumer asks for it), consuming every message and ")
                .append("then opening the next. A stream counts as one call: messages/s is streams/s times the ")
                .append("users per stream, and its latency is the time from opening it to its last message and end. ")
                .append("`async` consumes with Courier's `Flux` (Reactor's `count()`) and gRPC's async stub with a ")
                .append("`StreamObserver`; `sync` with `RpcStreams.iterate` over Courier's `Flow.Publisher` and gRPC's ")
                .append("blocking stub iterator, one thread per caller. gRPC's provider calls `onNext` for each user ")
                .append("without waiting for `isReady()`, as its examples do; gRPC consumers map each message to a ")
                .append("`User`, as in the unary calls; gRPC keeps its default executors (each message is handed from ")
                .append("the event loop to an application thread; `directExecutor()` was not measured). Every stream ")
                .append("has a 10 s deadline on both. CPU µs/message is ")
                .append("client plus server process CPU per message. Ratios divide by `").append(BASELINE)
                .append("` of the same mode and callers.\n\n");
        ResultGroup.appendContenderTable(md, streams);
        Set<String> modes = new LinkedHashSet<>();
        streams.forEach(r -> modes.add(r.mode()));
        for (String mode : modes) {
            List<ResultGroup> groups = ResultGroup.of(streams.stream().filter(r -> r.mode().equals(mode)).toList())
                    .stream().sorted(Comparator.comparingInt(ResultGroup::concurrency)).toList();
            table(md, mode, groups);
        }
        // Each contender as its users would consume it fastest: its best mode at each number of callers.
        Set<Integer> callers = new TreeSet<>();
        streams.forEach(r -> callers.add(r.concurrency()));
        List<String> verdicts = new ArrayList<>();
        for (int n : callers) {
            verdicts.add(verdict(n, best(streams, SUBJECT, n), best(streams, BASELINE, n)));
        }
        md.append(String.format(Locale.ROOT, "**Target (issue 15): `%s` messages/s ≥ %.0f × `%s` and p99 time to last "
                        + "message below `%s`'s, each consumed its fastest way (the mode with more messages/s): %s** "
                        + "(%s).%n%n", SUBJECT, MIN_MESSAGES_RATIO, BASELINE, BASELINE,
                Cells.outcome(verdicts), String.join("; ", verdicts)));
    }

    /** Returns the contender's result with the most messages/s at this number of callers, or {@code null}. */
    private static RunResult best(List<RunResult> streams, String contender, int callers) {
        return streams.stream().filter(r -> r.contender().equals(contender) && r.concurrency() == callers)
                .max(Comparator.comparingDouble(r -> r.opsPerSec() * Workload.of(r.method()).messagesPerCall()))
                .orElse(null);
    }

    private static void table(StringBuilder md, String mode, List<ResultGroup> groups) {
        RunResult first = groups.get(0).rows().get(0);
        md.append(String.format(Locale.ROOT, "### %s, %s (warm-up %.0f s, measurement %.0f s)%n%n", first.method(), mode,
                first.warmupSeconds(), first.measureSeconds()));
        md.append("| Callers | Contender | messages/s | × grpc | streams/s | p50 ms | p99 ms | p99 × grpc | client cores "
                + "| server cores | CPU µs/message | errors |\n");
        md.append("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (ResultGroup g : groups) {
            for (String contender : g.contenders()) {
                for (String method : g.methods()) {
                    RunResult r = g.find(contender, method);
                    RunResult base = g.find(BASELINE, method);
                    if (r != null) {
                        md.append(row(r, base));
                    }
                }
            }
        }
        md.append('\n');
    }

    private static String row(RunResult r, RunResult base) {
        int messages = Workload.of(r.method()).messagesPerCall();
        double cpu = r.cpuUsPerCall();
        return String.format(Locale.ROOT, "| %d | %s | %,.0f | %s | %,.1f | %,.1f | %,.1f | %s | %s | %s | %s | %d |%n",
                r.concurrency(), r.contender(), r.opsPerSec() * messages,
                base == null ? Cells.NONE : Cells.ratio(r.opsPerSec(), base.opsPerSec()), r.opsPerSec(),
                r.p50Us() / 1e3, r.p99Us() / 1e3, base == null ? Cells.NONE : Cells.ratio(r.p99Us(), base.p99Us()),
                Cells.cores(r.clientCores()), Cells.cores(r.serverCores()),
                cpu < 0 ? Cells.NONE : String.format(Locale.ROOT, "%.2f", cpu / messages), r.errors());
    }

    /**
     * Returns e.g. {@code 32 callers, courier sync ÷ grpc async: messages/s 2.10 ×, p99 0.80 × ✅},
     * ending in ✅, ❌ or {@link Cells#NONE}.
     */
    private static String verdict(int callers, RunResult subject, RunResult base) {
        String where = String.format(Locale.ROOT, "%d callers, ", callers);
        if (subject == null || base == null || base.opsPerSec() <= 0 || base.p99Us() <= 0) {
            return where + "no " + (subject == null ? SUBJECT : BASELINE) + " result " + Cells.NONE;
        }
        double subjectMessages = subject.opsPerSec() * Workload.of(subject.method()).messagesPerCall();
        double baseMessages = base.opsPerSec() * Workload.of(base.method()).messagesPerCall();
        boolean met = subjectMessages >= MIN_MESSAGES_RATIO * baseMessages && subject.p99Us() < base.p99Us();
        return where + SUBJECT + " " + subject.mode() + " ÷ " + BASELINE + " " + base.mode() + ": messages/s "
                + Cells.ratio(subjectMessages, baseMessages) + " ×, p99 " + Cells.ratio(subject.p99Us(), base.p99Us())
                + " × " + Cells.mark(met);
    }
}
