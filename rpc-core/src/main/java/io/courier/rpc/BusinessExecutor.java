package io.courier.rpc;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default pool that runs service methods (and, on a client, callbacks): a bounded queue
 * served by up to {@code maxThreads} threads, at most one of which spins briefly for work
 * before it parks.
 *
 * <p>Handing a call to a parked thread costs a system call to wake it and, on a virtual machine,
 * tens of microseconds before it runs; that wake-up, not the work, is what limits a server whose
 * calls arrive one at a time on each connection. So a thread that runs out of work first spins
 * for a few microseconds (only one thread at a time does), and {@link #execute} wakes a parked
 * thread only when none is spinning; the spinning thread that finds a call wakes the next one if
 * more calls are waiting, so a burst still spreads over as many threads as it needs. Idle threads
 * park in a stack, so the thread woken is the one that ran last and whose caches are warm. This
 * is the scheme of Go's scheduler ("spinning" workers), in a few lines. As Go spins only while
 * a processor is idle, the pool spins only on machines with {@value #MIN_CORES_TO_SPIN} cores or
 * more: on fewer, the spinning thread would hold a core that the event loops need.
 *
 * <p>The pool starts a thread only when no thread is idle, up to the maximum, so a server with
 * little concurrency runs on a few hot threads and a server whose methods block still gets its
 * full thread count before anything waits.
 *
 * <p>Thread-safe. Accepts at most {@code maxThreads + queueSize} calls at once (running or
 * waiting) and rejects more with a {@link RejectedExecutionException}; the dispatcher answers
 * such calls with SERVER_BUSY. Idle threads end after a minute.
 */
final class BusinessExecutor extends AbstractExecutorService {

    private static final Logger log = LoggerFactory.getLogger(BusinessExecutor.class);
    private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long the spinning thread looks for work before it parks, where the machine has cores to spare. */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** Fewest cores on which a thread may spin: below, the spinner takes a core the event loops need. */
    static final int MIN_CORES_TO_SPIN = 4;

    private final String threadNamePrefix;
    private final int maxThreads;
    private final int capacity;
    private final long spinNanos;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Parked workers, the last parked first. */
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
    /** Calls running or waiting. */
    private final AtomicInteger accepted = new AtomicInteger();
    /** 1 while a worker is spinning for work or has been woken to: then nobody else is woken. */
    private final AtomicInteger spinning = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger threadsStarted = new AtomicInteger();
    private final ReentrantLock terminationLock = new ReentrantLock();
    private final Condition terminated = terminationLock.newCondition();
    private volatile boolean shutdown;

    private BusinessExecutor(String threadNamePrefix, int maxThreads, int queueSize, long spinNanos) {
        this.threadNamePrefix = threadNamePrefix;
        this.maxThreads = maxThreads;
        this.capacity = maxThreads + queueSize;
        this.spinNanos = spinNanos;
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
        return create(threadNamePrefix, maxThreads, queueSize, defaultSpinNanos(Runtime.getRuntime().availableProcessors()));
    }

    /**
     * How long an idle thread spins by default on a machine with {@code cores} cores: {@link #SPIN_NANOS}
     * from {@link #MIN_CORES_TO_SPIN} cores up, else not at all. On two cores, serving HTTP/JSON
     * calls, a thread spinning for the next call took about 7 µs of CPU per call (25 against 18 µs),
     * and binary calls were no faster with it (rpc-benchmark, 2026-12-03).
     */
    static long defaultSpinNanos(int cores) {
        return cores >= MIN_CORES_TO_SPIN ? SPIN_NANOS : 0;
    }

    /** As {@link #create(String, int, int)}, spinning for work for {@code spinNanos} (0: never) before parking. */
    static ExecutorService create(String threadNamePrefix, int maxThreads, int queueSize, long spinNanos) {
        Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        if (maxThreads <= 0) {
            throw new InvalidOptionException("maxThreads", maxThreads, "> 0");
        }
        if (queueSize < 0) {
            throw new InvalidOptionException("queueSize", queueSize, ">= 0");
        }
        if (spinNanos < 0) {
            throw new InvalidOptionException("spinNanos", spinNanos, ">= 0");
        }
        return new BusinessExecutor(threadNamePrefix, maxThreads, queueSize, spinNanos);
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        if (shutdown) {
            throw new RejectedExecutionException("Business executor is shut down");
        }
        if (accepted.incrementAndGet() > capacity) {
            accepted.decrementAndGet();
            throw new RejectedExecutionException("Business executor holds " + capacity + " calls already");
        }
        queue.offer(command);
        signalWork();
    }

    /**
     * Makes sure a worker will look at the queue: nothing to do while one is spinning (it sees
     * the new call); otherwise claims the spinning role for the last parked worker and wakes it,
     * or starts a thread.
     */
    private void signalWork() {
        while (spinning.get() == 0 && spinning.compareAndSet(0, 1)) {
            Worker worker;
            while ((worker = idle.pollFirst()) != null) {
                if (worker.wake()) {
                    return;
                }
            }
            if (startWorker()) {
                return;
            }
            // Every thread is busy and no more may start: the call waits for the first to finish,
            // which always looks at the queue before it parks. Unless, while the role was held
            // here, a thread parked or ended and so was not there to see the calls queued meanwhile.
            spinning.set(0);
            if (queue.isEmpty() || shutdown || (idle.isEmpty() && live.get() >= maxThreads)) {
                return;
            }
        }
    }

    private boolean startWorker() {
        int n;
        do {
            n = live.get();
            if (n >= maxThreads || shutdown) {
                return false;
            }
        } while (!live.compareAndSet(n, n + 1));
        Worker worker = new Worker(threadNamePrefix + "-" + threadsStarted.incrementAndGet());
        workers.add(worker);
        try {
            worker.start();
        } catch (RuntimeException | Error e) {
            workers.remove(worker);
            workerExited();
            throw e;
        }
        return true;
    }

    private void workerExited() {
        if (live.decrementAndGet() == 0 && shutdown) {
            terminationLock.lock();
            try {
                terminated.signalAll();
            } finally {
                terminationLock.unlock();
            }
        }
    }

    private void run(Runnable command) {
        try {
            command.run();
        } catch (RuntimeException | Error e) {
            log.error("Uncaught failure on a business thread", e);
        } finally {
            accepted.decrementAndGet();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        for (Worker worker : workers) {
            LockSupport.unpark(worker);
        }
        terminationLock.lock();
        try {
            terminated.signalAll();
        } finally {
            terminationLock.unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        while (queue.poll() != null) {
            accepted.decrementAndGet();
        }
        for (Worker worker : workers) {
            worker.interrupt();
        }
        // Waiting calls are dropped with the pool; their callers time out or see the connection close.
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && live.get() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        terminationLock.lock();
        try {
            while (!isTerminated()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = terminated.awaitNanos(nanos);
            }
            return true;
        } finally {
            terminationLock.unlock();
        }
    }

    /** Whether the calling thread is one of this pool's workers. */
    boolean ownsCurrentThread() {
        return Thread.currentThread() instanceof Worker worker && worker.owner() == this;
    }

    /** Calls running or waiting. */
    int acceptedCount() {
        return accepted.get();
    }

    /** Threads started since the pool was created. */
    int threadsStarted() {
        return threadsStarted.get();
    }

    /**
     * A worker thread that Netty treats like its own: its recyclers and buffer caches work per
     * thread here too, so writing a frame from a worker allocates no more than on an event loop.
     */
    private final class Worker extends FastThreadLocalThread {

        private static final int RUNNING = 0;
        private static final int PARKED = 1;
        private static final int WOKEN = 2;
        private static final int EXITED = 3;

        private final AtomicInteger state = new AtomicInteger(RUNNING);

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        BusinessExecutor owner() {
            return BusinessExecutor.this;
        }

        /** Wakes this worker if it is parked, handing it the spinning role; false if it is not parked. */
        boolean wake() {
            if (state.compareAndSet(PARKED, WOKEN)) {
                LockSupport.unpark(this);
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            // A new thread starts with the spinning role its starter claimed for it.
            boolean spinner = true;
            try {
                while (true) {
                    Runnable command = queue.poll();
                    if (command == null && spinner) {
                        command = spin();
                    }
                    if (command == null) {
                        if (spinner) {
                            spinner = false;
                            // Whoever queued a call after the spin saw the role taken and woke nobody.
                            spinning.set(0);
                            command = queue.poll();
                        }
                        if (command == null) {
                            if (shutdown) {
                                return;
                            }
                            int outcome = park();
                            if (outcome == EXITED) {
                                return;
                            }
                            spinner = outcome == WOKEN;
                            continue;
                        }
                    }
                    if (spinner) {
                        spinner = false;
                        spinning.set(0);
                        if (!queue.isEmpty()) {
                            signalWork(); // more calls than this thread: the next one spins
                        }
                    }
                    BusinessExecutor.this.run(command);
                    if (!spinner && spinning.get() == 0 && spinning.compareAndSet(0, 1)) {
                        spinner = true; // looks for the next call before parking
                    }
                }
            } finally {
                workers.remove(this);
                if (spinner) {
                    spinning.set(0);
                }
                workerExited();
                if (!shutdown && !queue.isEmpty()) {
                    signalWork(); // a call queued while this thread was leaving found no room for a new one
                }
            }
        }

        private Runnable spin() {
            if (spinNanos == 0) {
                return null;
            }
            long deadline = System.nanoTime() + spinNanos;
            do {
                Thread.onSpinWait();
                Runnable command = queue.poll();
                if (command != null) {
                    return command;
                }
            } while (System.nanoTime() - deadline < 0 && !shutdown);
            return null;
        }

        /**
         * Parks until woken, a call is queued, the pool shuts down or the keep-alive passes.
         * Returns WOKEN when woken with the spinning role, RUNNING to look at the queue again,
         * EXITED when this thread should end.
         */
        private int park() {
            state.set(PARKED);
            idle.offerFirst(this);
            long deadline = System.nanoTime() + KEEP_ALIVE_NANOS;
            while (true) {
                // Checked after joining the stack: a call queued before may have found nobody to wake.
                if (!queue.isEmpty()) {
                    return leaveIdle(false);
                }
                long left = deadline - System.nanoTime();
                if (shutdown || left <= 0) {
                    return leaveIdle(true);
                }
                LockSupport.parkNanos(this, left);
                if (state.get() == WOKEN) {
                    state.set(RUNNING);
                    return WOKEN;
                }
                Thread.interrupted(); // only shutdownNow interrupts, and it sets shutdown first
            }
        }

        /** Takes this worker off the idle stack by itself; WOKEN if a producer got there first. */
        private int leaveIdle(boolean exit) {
            if (state.compareAndSet(PARKED, exit ? EXITED : RUNNING)) {
                idle.remove(this);
                return exit ? EXITED : RUNNING;
            }
            state.set(RUNNING);
            return WOKEN;
        }
    }
}
