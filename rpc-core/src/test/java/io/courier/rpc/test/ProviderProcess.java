package io.courier.rpc.test;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A provider in a JVM of its own, started from the test's class path, for faults an in-JVM server
 * cannot show: a small heap ({@code -Xmx128m}) or a {@code kill -9}. Thread-safe.
 *
 * <p>The main class (for example {@link CountingProviderMain}) reports on standard output in lines
 * starting with {@link #PREFIX}: {@code port=N} once it listens, then any {@code name=value}
 * counters, of which the last value read is kept. Everything the process writes (standard output
 * and error) goes to {@code target/provider-logs/<name>-<pid>.log}. Netty leak detection is
 * PARANOID in the provider too, and any leak it reports is collected ({@link #leakReports()}).
 *
 * <p>{@link #close()} always ends the process: it closes the process's standard input (the
 * provider then closes its server and exits), and kills it if it has not exited within 5 s.
 */
public final class ProviderProcess implements AutoCloseable {

    /** Start of every line a provider main class writes for the test JVM. */
    public static final String PREFIX = "courier-provider ";

    private static final Logger log = LoggerFactory.getLogger(ProviderProcess.class);
    private static final Path LOG_DIR = Path.of("target", "provider-logs");

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread reader;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Map<String, Long> counters = new ConcurrentHashMap<>();
    private final List<String> leakReports = new CopyOnWriteArrayList<>();

    private ProviderProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.reader = new Thread(this::readOutput, "provider-output-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts {@code mainClass} in a new JVM with this JVM's class path and waits until it reports
     * its port.
     *
     * @param name names the provider in logs and its log file
     * @param mainClass a class with a {@code main} method that reports {@code port=N}
     * @param jvmFlags flags for the new JVM, e.g. {@code -Xmx128m}
     * @param args arguments of {@code main}
     * @return the running provider
     * @throws IOException if the JVM cannot be started
     * @throws IllegalStateException if it exits or stays silent for 30 s before reporting its port
     */
    public static ProviderProcess start(String name, Class<?> mainClass, List<String> jvmFlags, String... args)
            throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Dio.netty.leakDetection.level=paranoid");
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Files.createDirectories(LOG_DIR);
        long startNanos = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Path logFile = LOG_DIR.resolve(name + "-" + process.pid() + ".log");
        ProviderProcess provider = new ProviderProcess(name, process, logFile);
        try {
            int port = provider.port.get(30, TimeUnit.SECONDS);
            log.info("Provider {} (pid {}, {}) listens on port {} after {} ms; output in {}", name, process.pid(),
                    jvmFlags, port, (System.nanoTime() - startNanos) / 1_000_000, logFile);
            return provider;
        } catch (ExecutionException | TimeoutException e) {
            provider.close();
            throw new IllegalStateException("Provider " + name + " did not report its port; see " + logFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            provider.close();
            throw new IllegalStateException("Interrupted while starting provider " + name, e);
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer file = Files.newBufferedWriter(logFile)) {
            String line;
            while ((line = in.readLine()) != null) {
                file.write(line);
                file.write('\n');
                if (line.startsWith(PREFIX)) {
                    onReport(line.substring(PREFIX.length()));
                } else if (line.contains("LEAK:")) {
                    leakReports.add(line);
                }
            }
        } catch (IOException e) {
            // The stream ends with an error when the process is killed mid-line; what was read counts.
            log.debug("Output of provider {} ended: {}", name, e.toString());
        } finally {
            port.completeExceptionally(new IllegalStateException("provider " + name + " exited"));
        }
    }

    private void onReport(String report) {
        int eq = report.indexOf('=');
        String key = report.substring(0, eq);
        long value = Long.parseLong(report.substring(eq + 1).trim());
        if (key.equals("port")) {
            port.complete((int) value);
        } else {
            counters.merge(key, value, Math::max);
        }
    }

    /** The provider's name. */
    public String name() {
        return name;
    }

    /** The port the provider listens on. */
    public int port() {
        return port.join();
    }

    /** The provider's address, {@code 127.0.0.1:port}. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port());
    }

    /** The provider's address as {@code host:port}. */
    public String hostAndPort() {
        return "127.0.0.1:" + port();
    }

    /** The file the provider's standard output and error go to. */
    public Path logFile() {
        return logFile;
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The last value the provider reported for {@code counter}, 0 if none yet. After the process
     * ended, call {@link #awaitOutputRead(Duration)} first so that every line it wrote was read.
     */
    public long lastReported(String counter) {
        return counters.getOrDefault(counter, 0L);
    }

    /** Leak reports in the provider's output so far (Netty's {@code LEAK:} lines). */
    public List<String> leakReports() {
        return List.copyOf(leakReports);
    }

    /**
     * Kills the process with SIGKILL ({@code kill -9} on Linux) and waits until it is gone.
     *
     * @return when it was gone, as {@link System#nanoTime()}
     */
    public long kill() throws InterruptedException {
        // Through the handle, as in terminate(): the lines written before the kill stay readable.
        process.toHandle().destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("provider " + name + " survived SIGKILL for 10 s");
        }
        return System.nanoTime();
    }

    /**
     * Asks the process to stop with SIGTERM ({@link ProcessHandle#destroy()} on Linux), which runs its
     * shutdown hooks (a Spring Boot application closes its context), and waits until it is gone.
     *
     * @return when it was gone, as {@link System#nanoTime()}
     * @throws IllegalStateException if it is still running after {@code timeout}
     */
    public long terminate(Duration timeout) throws InterruptedException {
        // Through the handle: Process.destroy() would also close the pipes, losing what the
        // provider writes while it shuts down (its last counters).
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("provider " + name + " still runs " + timeout + " after SIGTERM");
        }
        return System.nanoTime();
    }

    /** The process's exit code; only once it ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /**
     * Waits until everything the provider wrote has been read (its output ended).
     *
     * @return whether it ended within {@code timeout}
     */
    public boolean awaitOutputRead(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
        return !reader.isAlive();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already closed or the process is gone: either way it is told to stop, or killed below.
            log.debug("Closing stdin of provider {}: {}", name, e.toString());
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                log.warn("Provider {} did not exit within 5 s of its stdin closing; killing it", name);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "provider " + name + " (pid " + process.pid() + (process.isAlive() ? "" : ", exited") + ")";
    }

}
