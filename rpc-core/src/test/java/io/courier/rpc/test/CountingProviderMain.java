package io.courier.rpc.test;

import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ServerOptions;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Entry point of a provider JVM started by {@link ProviderProcess}: exports a
 * {@link CountedService} on {@code 127.0.0.1}, an ephemeral port, and reports on standard output.
 *
 * <p>Standard output is the channel to the test JVM (the only one that survives a
 * {@code kill -9}): the bound port as {@code courier-provider port=N}, then
 * {@code courier-provider write=N} each time {@code write} has run, written and flushed before the
 * call answers, so that the last such line read is a lower bound of the executions even after the
 * process was killed. Arguments: the provider's name. Runs until killed or its standard input closes.
 */
public final class CountingProviderMain {

    /** System property that makes the provider report its pooled direct memory as {@code direct=N}. */
    public static final String REPORT_DIRECT_MEMORY = "courier.provider.reportDirectMemory";

    /** What {@code blob} answers: 1 MiB. */
    private static final byte[] BLOB = new byte[1 << 20];

    private CountingProviderMain() {
    }

    /** Counts and names itself, reporting each {@code write} on {@code out}; thread-safe. */
    public static class Counted implements CountedService {

        private final String name;
        private final PrintStream out;
        private final AtomicLong finds = new AtomicLong();
        private final AtomicLong writes = new AtomicLong();

        public Counted(String name, PrintStream out) {
            this.name = name;
            this.out = out;
        }

        @Override
        public String find(String key) {
            finds.incrementAndGet();
            return name;
        }

        @Override
        public String write(String key) {
            long n = writes.incrementAndGet();
            // Under the stream's lock the lines come out in counter order, so the last one is the highest.
            synchronized (out) {
                out.println(ProviderProcess.PREFIX + "write=" + n);
                out.flush();
            }
            return name;
        }

        @Override
        public long size(Object value) {
            return sizeOf(value);
        }

        @Override
        public byte[] blob(int id) {
            return BLOB;
        }

        @Override
        public long executions(String method) {
            return switch (method) {
                case "find" -> finds.get();
                case "write" -> writes.get();
                default -> throw new IllegalArgumentException("unknown method " + method);
            };
        }
    }

    /**
     * Reports Netty's pooled direct memory each time it reaches a new high, sampled every 10 ms,
     * on a daemon thread; the test keeps the highest value it read.
     */
    private static void reportDirectMemory(PrintStream out) {
        var metric = ((io.netty.buffer.ByteBufAllocatorMetricProvider) io.netty.buffer.ByteBufAllocator.DEFAULT).metric();
        java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(task -> {
                    Thread t = new Thread(task, "direct-memory-report");
                    t.setDaemon(true);
                    return t;
                });
        java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong(-1);
        sampler.scheduleAtFixedRate(() -> {
            long used = metric.usedDirectMemory();
            if (used > peak.get()) {
                peak.set(used);
                synchronized (out) {
                    out.println(ProviderProcess.PREFIX + "direct=" + used);
                    out.flush();
                }
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
    }

    /** Sizes arrays and collections. */
    static long sizeOf(Object value) {
        if (value != null && value.getClass().isArray()) {
            return java.lang.reflect.Array.getLength(value);
        }
        return value instanceof java.util.Collection<?> c ? c.size() : 1;
    }

    /**
     * Starts the provider.
     *
     * @param args the provider's name
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "provider";
        @SuppressWarnings("java:S106") // standard output is the report channel to the test JVM, see above
        PrintStream out = System.out;
        RpcServer server = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO).build())
                .service(CountedService.class, new Counted(name, out)).build().start();
        synchronized (out) {
            out.println(ProviderProcess.PREFIX + "port=" + server.address().getPort());
            out.flush();
        }
        if (Boolean.getBoolean(REPORT_DIRECT_MEMORY)) {
            reportDirectMemory(out);
        }
        // Orphans die with their test JVM: when it goes, standard input reaches end of file.
        CountDownLatch stdinClosed = new CountDownLatch(1);
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent on standard input; it only signals that the parent is alive
                }
            } catch (java.io.IOException e) {
                // a broken stdin means the parent is gone, the same as end of file
            }
            stdinClosed.countDown();
        }, "stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
        stdinClosed.await();
        server.close();
    }
}
