package io.courier.rpc.benchmark.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ServerStatsTest {

    @Test
    void interpolatesBetweenSamples(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stats.tsv");
        Files.writeString(file, "1000\t0\t0\n1100\t1000\t100\n1200\t3000\t300\n");

        ServerStats.Window w = ServerStats.window(file, 1050, 1150);

        assertThat(w.allocatedBytes()).isEqualTo(2000 - 500);
        assertThat(w.cpuNanos()).isEqualTo(200 - 50);
    }

    @Test
    void returnsNullWhenTheSamplesDoNotCoverTheWindow(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stats.tsv");
        Files.writeString(file, "1000\t0\t0\n1100\t1000\t100\n");

        assertThat(ServerStats.window(file, 1050, 1150)).isNull();
    }

    @Test
    void resultLinesRoundTripThroughJson() {
        RunResult r = new RunResult(2, "courier", "getUser", "async", 32, 10, 30.001, 1_000_000, 0, 33_333.3, 900,
                800, 1500, 2500, 4000, 9000, 1900.5, 1901, 11.5, 1800, 18.2, 1, 2);

        assertThat(RunResult.fromJson(r.toJson())).isEqualTo(r);
        assertThat(r.toJson()).doesNotContain("\n");
    }
}
