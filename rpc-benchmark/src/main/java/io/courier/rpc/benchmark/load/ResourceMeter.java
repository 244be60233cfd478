package io.courier.rpc.benchmark.load;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Measures what this JVM spends: heap bytes allocated and CPU time, between two snapshots.
 *
 * <p>Allocation is the sum, over every live thread of the JVM (callers, I/O event loops, callback
 * pools, timers), of {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long[])}
 * deltas: a thread that already existed at the first snapshot counts what it allocated since,
 * a thread born in between counts everything it allocated. A thread that ends in between loses
 * what it allocated after the first snapshot, so the per-thread sum can only under-count; the
 * JVM-wide {@code getTotalThreadAllocatedBytes()} delta, which keeps ended threads, is recorded
 * beside it as a cross-check.
 *
 * <p>Thread-safe (stateless apart from the platform beans).
 */
public final class ResourceMeter {

    private final com.sun.management.ThreadMXBean threads;
    private final com.sun.management.OperatingSystemMXBean os;

    /** Creates a meter, enabling per-thread allocation accounting if it is off. */
    public ResourceMeter() {
        this.threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        if (threads.isThreadAllocatedMemorySupported() && !threads.isThreadAllocatedMemoryEnabled()) {
            threads.setThreadAllocatedMemoryEnabled(true);
        }
    }

    /** Takes a snapshot of every live thread's allocation, the JVM total and the process CPU time. */
    public Snapshot snapshot() {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> perThread = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                perThread.put(ids[i], bytes[i]);
            }
        }
        return new Snapshot(perThread, threads.getTotalThreadAllocatedBytes(), os.getProcessCpuTime(),
                System.nanoTime());
    }

    /**
     * What the JVM had spent at one instant.
     *
     * @param perThread allocated bytes by thread id
     * @param totalAllocated JVM-wide allocated bytes, ended threads included
     * @param cpuNanos process CPU time, all threads, user and system
     * @param nanoTime when the snapshot was taken
     */
    public record Snapshot(Map<Long, Long> perThread, long totalAllocated, long cpuNanos, long nanoTime) {

        /** Returns the bytes allocated by the threads alive now since {@code earlier} (see the class comment). */
        public long allocatedSince(Snapshot earlier) {
            long sum = 0;
            for (Map.Entry<Long, Long> e : perThread.entrySet()) {
                sum += e.getValue() - earlier.perThread.getOrDefault(e.getKey(), 0L);
            }
            return sum;
        }

        /** Returns the JVM-wide allocation since {@code earlier}. */
        public long totalAllocatedSince(Snapshot earlier) {
            return totalAllocated - earlier.totalAllocated;
        }

        /** Returns the process CPU time since {@code earlier}. */
        public long cpuNanosSince(Snapshot earlier) {
            return cpuNanos - earlier.cpuNanos;
        }
    }
}
