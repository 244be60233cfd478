package io.courier.rpc.benchmark.load;

import tools.jackson.databind.json.JsonMapper;

/**
 * One measured run: a contender, a method, a load mode and a concurrency. Written as one JSON line
 * to the results file by the client JVM and read back by the report writer.
 *
 * <p>Immutable and thread-safe. Latencies are in microseconds; per-call figures divide by the
 * number of calls completed in the measurement window (failures included).
 *
 * @param run which repetition of the whole suite this is, from 1
 * @param contender contender name
 * @param method method name, e.g. {@code getUser}
 * @param mode {@code async} or {@code sync}
 * @param concurrency callers, each with one call in flight
 * @param warmupSeconds warm-up of this method before measuring
 * @param measureSeconds measurement window actually elapsed
 * @param calls successful calls in the window
 * @param errors failed calls in the window
 * @param opsPerSec successful calls per second
 * @param meanUs mean latency
 * @param p50Us median latency
 * @param p90Us 90th percentile
 * @param p99Us 99th percentile
 * @param p999Us 99.9th percentile
 * @param maxUs largest latency
 * @param clientAllocBytesPerCall client heap allocation per call, summed over the client JVM's live threads
 * @param clientAllocTotalBytesPerCall the same from the JVM-wide counter (cross-check)
 * @param clientCpuUsPerCall client process CPU per call
 * @param serverAllocBytesPerCall server heap allocation per call, or -1 when unknown
 * @param serverCpuUsPerCall server process CPU per call, or -1 when unknown
 * @param startEpochMillis wall-clock start of the window
 * @param endEpochMillis wall-clock end of the window
 */
public record RunResult(
        int run,
        String contender,
        String method,
        String mode,
        int concurrency,
        double warmupSeconds,
        double measureSeconds,
        long calls,
        long errors,
        double opsPerSec,
        double meanUs,
        double p50Us,
        double p90Us,
        double p99Us,
        double p999Us,
        double maxUs,
        double clientAllocBytesPerCall,
        double clientAllocTotalBytesPerCall,
        double clientCpuUsPerCall,
        double serverAllocBytesPerCall,
        double serverCpuUsPerCall,
        long startEpochMillis,
        long endEpochMillis) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Returns the cores the client JVM kept busy during the window: its process CPU time divided by
     * the window's wall time. Far below the machine's cores while throughput is low means the
     * callers were waiting with the CPU idle: a stall.
     */
    public double clientCores() {
        return cores(clientCpuUsPerCall, measureSeconds);
    }

    /** Returns the cores the server JVM kept busy during the window, or -1 when unknown. */
    public double serverCores() {
        double window = endEpochMillis > startEpochMillis ? (endEpochMillis - startEpochMillis) / 1e3 : measureSeconds;
        return serverCpuUsPerCall < 0 ? -1 : cores(serverCpuUsPerCall, window);
    }

    /** Returns client plus server CPU per call, or -1 when the server's is unknown. */
    public double cpuUsPerCall() {
        return serverCpuUsPerCall < 0 ? -1 : clientCpuUsPerCall + serverCpuUsPerCall;
    }

    private double cores(double cpuUsPerCall, double seconds) {
        // The client divided the window's CPU time by max(1, calls + errors): undo that exactly.
        return seconds <= 0 ? 0 : cpuUsPerCall * Math.max(1, calls + errors) / 1e6 / seconds;
    }

    /** Returns the result as one line of JSON. */
    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    /** Parses a line written by {@link #toJson()}. */
    public static RunResult fromJson(String line) {
        return JSON.readValue(line, RunResult.class);
    }
}
