package io.courier.rpc.benchmark.report;

import io.courier.rpc.benchmark.load.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {

    @Test
    void writesTablesTargetsAndChart(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        String[] contenders = {"courier", "dubbo", "grpc", "raw-netty"};
        double[] tput = {60_000, 18_000, 10_000, 80_000};
        double[] p99 = {1_500, 6_000, 9_000, 1_000};
        for (int c = 0; c < contenders.length; c++) {
            for (String method : List.of("getUser", "listUser")) {
                lines.add(new RunResult(1, contenders[c], method, "async", 32, 10, 30, 1000, 0, tput[c], 500, 400,
                        800, p99[c], p99[c] * 2, p99[c] * 3, 1500, 1500, 10, 1200, 15, 0, 1).toJson());
            }
        }
        Path results = dir.resolve("results.jsonl");
        Files.write(results, lines);
        Path md = dir.resolve("docs/benchmarks.md");
        Path svg = dir.resolve("docs/benchmarks.svg");

        ReportWriter.main(new String[] {"--results=" + results, "--md=" + md, "--svg=" + svg,
                "--command=PREWARM_SECONDS=1 rpc-benchmark/run.sh", "--jvm-flags=-Xmx1g", "--prewarm=1"});

        String markdown = Files.readString(md);
        assertThat(markdown)
                .contains("`PREWARM_SECONDS=1 rpc-benchmark/run.sh`")
                .contains("## Run 1: async, 32 callers")
                .contains("| getUser | courier | 60,000 | 0.75 |")
                .contains("| 1 | async | getUser | 0.75 ✅ | 1.50 ✅ | yes ✅ | – |")
                .contains("getUser client alloc | 1,500 B/call ✅");
        String chart = Files.readString(svg);
        assertThat(chart).startsWith("<svg").contains("Throughput").contains("p99 latency").contains("raw-netty")
                .endsWith("</svg>\n");
    }

    @Test
    void barLabelsAreCompact() {
        assertThat(BarChart.compact(1_234_567)).isEqualTo("1.23M");
        assertThat(BarChart.compact(171_714)).isEqualTo("172k");
        assertThat(BarChart.compact(2_636)).isEqualTo("2.6k");
        assertThat(BarChart.compact(5_000)).isEqualTo("5k");
        assertThat(BarChart.compact(274)).isEqualTo("274");
    }
}
