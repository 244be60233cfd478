package io.courier.rpc.benchmark.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RunResultTest {

    /** 10 s window, 99,000 calls and 1,000 failures: CPU per call divides by 100,000. */
    private static RunResult result(double clientCpuUsPerCall, double serverCpuUsPerCall) {
        return new RunResult(1, "courier", "getUser", "sync", 32, 5, 10, 99_000, 1_000, 9_900, 100, 90, 150, 300,
                500, 900, 700, 700, clientCpuUsPerCall, 1200, serverCpuUsPerCall, 50_000, 60_000);
    }

    @Test
    void coresAreCpuTimeOverWallTime() {
        // 100,000 calls x 150 us = 15 s of CPU in 10 s: 1.5 cores; 50 us each: 0.5 cores.
        RunResult r = result(150, 50);

        assertThat(r.clientCores()).isCloseTo(1.5, within(1e-9));
        assertThat(r.serverCores()).isCloseTo(0.5, within(1e-9));
        assertThat(r.cpuUsPerCall()).isEqualTo(200);
    }

    @Test
    void aStallShowsAsFewCores() {
        // The same calls' worth of CPU spread over a window twice as long: half the cores.
        RunResult stalled = new RunResult(1, "courier", "getUser", "sync", 32, 5, 20, 99_000, 1_000, 4_950, 100, 90,
                150, 300, 500, 900, 700, 700, 150, 1200, 50, 50_000, 70_000);

        assertThat(stalled.clientCores()).isCloseTo(0.75, within(1e-9));
        assertThat(stalled.serverCores()).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void unknownServerCpuStaysUnknown() {
        RunResult r = result(150, -1);

        assertThat(r.serverCores()).isEqualTo(-1);
        assertThat(r.cpuUsPerCall()).isEqualTo(-1);
    }

    @Test
    void jsonHoldsTheMeasurementsOnlyAndRoundTrips() {
        RunResult r = result(150, 50);

        String json = r.toJson();

        assertThat(json).doesNotContain("Cores").doesNotContain("\"cpuUsPerCall\"");
        assertThat(RunResult.fromJson(json)).isEqualTo(r);
    }
}
