package io.courier.rpc.benchmark.report;

import io.courier.rpc.benchmark.load.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP/JSON section, written from run.sh's http.jsonl alone (an HTTP-only run). */
class HttpSectionTest {

    /** A 10 s window; CPU per call is split evenly between client and server. */
    private static RunResult result(String contender, double ops, double cpuUsPerCall) {
        long calls = Math.round(ops * 10);
        return new RunResult(1, contender, "getUser", "async", 32, 3, 10, calls, 0, ops, 500, 400, 800, 2_000,
                4_000, 6_000, 3_000, 3_000, cpuUsPerCall / 2, 9_000, cpuUsPerCall / 2, 0, 10_000);
    }

    private static String report(Path dir, List<RunResult> http) throws IOException {
        Path file = Files.write(dir.resolve("http.jsonl"), http.stream().map(RunResult::toJson).toList());
        Path md = dir.resolve("benchmarks.md");
        ReportWriter.main(new String[] {"--http=" + file, "--http-prewarm=10", "--md=" + md,
                "--svg=" + dir.resolve("benchmarks.svg"), "--command=HTTP=1 rpc-benchmark/run.sh"});
        return Files.readString(md);
    }

    @Test
    void tableShowsBothContendersWithTheRatioAndChecksTheTarget(@TempDir Path dir) throws Exception {
        String markdown = report(dir, List.of(result("courier-http", 15_000, 60), result("spring-mvc", 5_000, 200)));

        assertThat(markdown).contains("## HTTP/JSON")
                .contains("| courier-http | The `courier` server")
                .contains("| spring-mvc | Spring Boot ")
                .contains("### getUser over HTTP/JSON, async, 32 callers (warm-up 3 s, measurement 10 s)")
                .contains("| courier-http | 32 | 15,000 | 3.00 | 400 | 2,000 | 0.45 | 0.45 | 30.0 | 30.0 | 0 |")
                .contains("| spring-mvc | 32 | 5,000 | 1.00 |")
                .contains("**Target (issue 16): `courier-http` calls/s ≥ 2 × `spring-mvc`: met** (async, 32 callers: 3.00 ✅).");
    }

    @Test
    void targetIsMissedBelowTwiceSpringMvc(@TempDir Path dir) throws Exception {
        String markdown = report(dir, List.of(result("courier-http", 9_000, 60), result("spring-mvc", 5_000, 200)));

        assertThat(markdown).contains(": missed** (async, 32 callers: 1.80 ❌).");
    }
}
