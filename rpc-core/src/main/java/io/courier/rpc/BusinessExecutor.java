package io.courier.rpc;

import io.courier.rpc.InvalidOptionException;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default pool that runs service methods: a FIFO {@link ForkJoinPool} behind a bound on the
 * calls it holds.
 *
 * <p>The pool starts a thread only when every existing one is busy, up to the maximum, so a
 * server with little concurrency runs on a few hot threads and a server whose methods block still
 * gets its full thread count before anything waits. Unlike a {@code ThreadPoolExecutor}, whose
 * idle workers all park on one queue and each need a wake-up per call, a worker that finishes
 * a call looks for the next one before it parks, and a new call wakes a worker only when none is
 * looking: under load most calls change threads without a system call (JFR and {@code perf}
 * showed about one futex call per RPC with a {@code ThreadPoolExecutor}, a third of one with this).
 *
 * <p>Thread-safe. Accepts at most {@code maxThreads + queueSize} calls at once (running or
 * waiting) and rejects more with a {@link RejectedExecutionException}; the dispatcher answers
 * such calls with SERVER_BUSY. Idle threads end after a minute.
 */
final class BusinessExecutor extends AbstractExecutorService {

    private static final Logger log = LoggerFactory.getLogger(BusinessExecutor.class);
    private static final long KEEP_ALIVE_SECONDS = 60;

    private final ForkJoinPool pool;
    private final String threadNamePrefix;
    private final int capacity;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger threadsStarted = new AtomicInteger();

    private BusinessExecutor(String threadNamePrefix, int maxThreads, int queueSize) {
        this.threadNamePrefix = threadNamePrefix;
        this.capacity = maxThreads + queueSize;
        this.pool = new ForkJoinPool(maxThreads, this::newThread, null, true, 0, maxThreads, 1, null,
                KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Creates a pool.
     *
     * @param maxThreads the most threads that run service methods at once
     * @param queueSize how many calls may wait once all threads are busy; 0 accepts calls only while a thread is free
     */
    static ExecutorService create(int maxThreads, int queueSize) {
        return create("courier-server-worker", maxThreads, queueSize);
    }

    /**
     * Creates a pool whose threads are named {@code threadNamePrefix-N}; the client runs its
     * callbacks on one.
     *
     * @param maxThreads the most threads that run tasks at once
     * @param queueSize how many tasks may wait once all threads are busy
     */
    static ExecutorService create(String threadNamePrefix, int maxThreads, int queueSize) {
        Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        if (maxThreads <= 0 || queueSize < 0) {
            throw maxThreads <= 0 ? new InvalidOptionException("maxThreads", maxThreads, "> 0")
                    : new InvalidOptionException("queueSize", queueSize, ">= 0");
        }
        return new BusinessExecutor(threadNamePrefix, maxThreads, queueSize);
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        if (accepted.incrementAndGet() > capacity) {
            accepted.decrementAndGet();
            throw new RejectedExecutionException("Business executor holds " + capacity + " calls already");
        }
        try {
            pool.execute(new Call(command));
        } catch (RejectedExecutionException e) {
            accepted.decrementAndGet();
            throw e;
        }
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        pool.shutdownNow();
        // Waiting calls are dropped with the pool; their callers time out or see the connection close.
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }

    /** Whether the calling thread is one of this pool's workers. */
    boolean ownsCurrentThread() {
        return Thread.currentThread() instanceof Worker worker && worker.getPool() == pool;
    }

    /** Calls running or waiting. */
    int acceptedCount() {
        return accepted.get();
    }

    /** Threads started since the pool was created. */
    int threadsStarted() {
        return threadsStarted.get();
    }

    private ForkJoinWorkerThread newThread(ForkJoinPool owner) {
        ForkJoinWorkerThread thread = new Worker(owner);
        thread.setName(threadNamePrefix + "-" + threadsStarted.incrementAndGet());
        return thread;
    }

    /**
     * A worker thread that Netty treats like its own: its recyclers and buffer caches work
     * per thread here too, so writing a frame from a worker allocates no more than on an event loop.
     */
    private static final class Worker extends ForkJoinWorkerThread {

        Worker(ForkJoinPool pool) {
            super(pool);
        }

        @Override
        public void run() {
            FastThreadLocalThread.runWithFastThreadLocal(super::run);
        }
    }

    /** One accepted call: runs it, logs what escapes it, and frees its place. */
    private final class Call extends ForkJoinTask<Void> {

        private static final long serialVersionUID = 1L;

        private final transient Runnable command;

        Call(Runnable command) {
            this.command = command;
        }

        @Override
        public Void getRawResult() {
            return null;
        }

        @Override
        protected void setRawResult(Void value) {
        }

        @Override
        protected boolean exec() {
            try {
                command.run();
            } catch (RuntimeException | Error e) {
                log.error("Uncaught failure on a business thread", e);
            } finally {
                accepted.decrementAndGet();
            }
            return true;
        }
    }
}
