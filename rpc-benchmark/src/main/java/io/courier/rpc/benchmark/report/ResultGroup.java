package io.courier.rpc.benchmark.report;

import io.courier.rpc.benchmark.contender.Contender;
import io.courier.rpc.benchmark.load.Contenders;
import io.courier.rpc.benchmark.load.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The results measured under the same conditions (run, load mode and callers): one table of the
 * report.
 *
 * <p>Immutable and thread-safe.
 *
 * @param run which repetition of the suite, from 1
 * @param mode {@code async} or {@code sync}
 * @param concurrency callers
 * @param rows the results, in the order they were measured
 */
record ResultGroup(int run, String mode, int concurrency, List<RunResult> rows) {

    ResultGroup {
        rows = List.copyOf(rows);
    }

    /** Groups results by run, mode and callers, in the order each group first appears. */
    static List<ResultGroup> of(List<RunResult> results) {
        Map<List<Object>, List<RunResult>> groups = new LinkedHashMap<>();
        for (RunResult r : results) {
            groups.computeIfAbsent(List.of(r.run(), r.mode(), r.concurrency()), k -> new ArrayList<>()).add(r);
        }
        List<ResultGroup> out = new ArrayList<>();
        groups.forEach((k, rs) -> out.add(new ResultGroup((Integer) k.get(0), (String) k.get(1), (Integer) k.get(2), rs)));
        return out;
    }

    /** Returns the methods measured, in the order they were measured. */
    List<String> methods() {
        return methods(rows);
    }

    /** Appends the table that says what each contender measured in {@code results} runs, then a blank line. */
    static void appendContenderTable(StringBuilder md, List<RunResult> results) {
        md.append("| Contender | What runs |\n|---|---|\n");
        for (String name : contenders(results)) {
            md.append("| ").append(name).append(" | ").append(Contenders.byName(name).description()).append(" |\n");
        }
        md.append('\n');
    }

    /** Returns the contenders measured, in report order (see {@link Contenders}). */
    List<String> contenders() {
        return contenders(rows);
    }

    /** Returns the result of a contender and method, or {@code null} when it was not measured. */
    RunResult find(String contender, String method) {
        for (RunResult r : rows) {
            if (r.contender().equals(contender) && r.method().equals(method)) {
                return r;
            }
        }
        return null;
    }

    static List<String> methods(List<RunResult> rs) {
        Set<String> out = new LinkedHashSet<>();
        rs.forEach(r -> out.add(r.method()));
        return List.copyOf(out);
    }

    static List<String> contenders(List<RunResult> rs) {
        List<String> out = new ArrayList<>();
        for (Contender c : Contenders.known()) {
            if (rs.stream().anyMatch(r -> r.contender().equals(c.name()))) {
                out.add(c.name());
            }
        }
        return out;
    }
}
