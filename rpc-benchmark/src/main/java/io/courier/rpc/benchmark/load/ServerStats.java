package io.courier.rpc.benchmark.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The server JVM's spending over time, shared with the client JVM through a file: the server
 * appends one sample every {@value #PERIOD_MILLIS} ms (wall-clock millis, JVM-wide allocated
 * bytes, process CPU nanos), and the client interpolates the samples around its measurement
 * window to get server allocation and CPU per call.
 *
 * <p>The server side uses the JVM-wide allocation counter, which keeps the bytes of ended threads
 * (some peers' pools retire idle threads). Thread-safe: the writer runs on its own thread, and
 * readers only read the file.
 */
public final class ServerStats {

    /** Sampling period. */
    public static final int PERIOD_MILLIS = 100;

    private ServerStats() {
    }

    /** Starts a daemon thread appending samples to {@code file} until the JVM exits. */
    public static Thread startSampling(Path file) throws IOException {
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        ResourceMeter meter = new ResourceMeter();
        Thread sampler = new Thread(() -> {
            try (out) {
                while (!Thread.currentThread().isInterrupted()) {
                    ResourceMeter.Snapshot s = meter.snapshot();
                    out.write(System.currentTimeMillis() + "\t" + s.totalAllocated() + "\t" + s.cpuNanos() + "\n");
                    out.flush();
                    Thread.sleep(PERIOD_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "bench-server-stats");
        sampler.setDaemon(true);
        sampler.start();
        return sampler;
    }

    /**
     * Returns the server's allocation and CPU between two wall-clock instants, interpolated
     * between samples, or {@code null} when the file does not cover the window.
     */
    public static Window window(Path file, long fromMillis, long toMillis) throws IOException {
        List<long[]> samples = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] parts = line.split("\t");
            if (parts.length == 3) {
                samples.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])});
            }
        }
        long[] from = at(samples, fromMillis);
        long[] to = at(samples, toMillis);
        if (from == null || to == null) {
            return null;
        }
        return new Window(to[0] - from[0], to[1] - from[1]);
    }

    private static long[] at(List<long[]> samples, long millis) {
        for (int i = 1; i < samples.size(); i++) {
            long[] a = samples.get(i - 1);
            long[] b = samples.get(i);
            if (a[0] <= millis && millis <= b[0]) {
                double f = b[0] == a[0] ? 0 : (double) (millis - a[0]) / (b[0] - a[0]);
                return new long[] {Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))};
            }
        }
        return null;
    }

    /**
     * What the server spent in a window.
     *
     * @param allocatedBytes heap bytes allocated
     * @param cpuNanos process CPU time
     */
    public record Window(long allocatedBytes, long cpuNanos) {
    }
}
