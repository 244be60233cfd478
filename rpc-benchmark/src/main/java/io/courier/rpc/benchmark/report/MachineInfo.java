package io.courier.rpc.benchmark.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the benchmarks ran on: cores, memory, CPU model, OS and JDK, read in the report JVM (the
 * same machine and JDK as the benchmark JVMs, which run.sh launches with the same {@code java}).
 *
 * @param cores available processors
 * @param memoryBytes physical memory
 * @param cpuModel CPU model name from {@code /proc/cpuinfo}, or "unknown"
 * @param os operating system name, version and architecture
 * @param jdk JDK vendor, VM name and version
 */
record MachineInfo(int cores, long memoryBytes, String cpuModel, String os, String jdk) {

    static MachineInfo current() {
        var bean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), bean.getTotalMemorySize(), readCpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"));
    }

    String summary() {
        return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB memory, %s, %s", cores, cpuModel,
                memoryBytes / (1024.0 * 1024 * 1024), os, jdk);
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: the model is only informative.
            return "unknown CPU";
        }
        return "unknown CPU";
    }
}
