package io.courier.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs each service method on a thread of its own from a {@link ThreadFactory}, typically
 * virtual threads, with at most {@code maxConcurrent} at once: one more is rejected at once
 * (the dispatcher answers it {@code SERVER_BUSY}), never queued.
 *
 * <p>Virtual threads are cheap to start but not free to run: a method that blocks on a
 * database pool holds its connection however cheap its thread is, so the bound stays.
 *
 * <p>Thread-safe. {@link #shutdown} lets running calls finish; {@link #shutdownNow} interrupts
 * them.
 */
final class PerCallExecutor extends AbstractExecutorService {

    private final ThreadFactory threads;
    private final int maxConcurrent;
    private final AtomicInteger running = new AtomicInteger();
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean shutdown;

    PerCallExecutor(ThreadFactory threads, int maxConcurrent) {
        this.threads = Objects.requireNonNull(threads, "threads");
        if (maxConcurrent <= 0) {
            throw new InvalidOptionException("maxConcurrent", maxConcurrent, "> 0");
        }
        this.maxConcurrent = maxConcurrent;
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        if (shutdown) {
            throw new RejectedExecutionException("Executor is shut down");
        }
        if (running.incrementAndGet() > maxConcurrent) {
            end();
            throw new RejectedExecutionException(maxConcurrent + " calls are running already");
        }
        Thread thread;
        try {
            thread = threads.newThread(() -> {
                try {
                    command.run();
                } finally {
                    live.remove(Thread.currentThread());
                    end();
                }
            });
        } catch (RuntimeException | Error e) {
            end();
            throw e;
        }
        if (thread == null) {
            end();
            throw new RejectedExecutionException("The thread factory made no thread");
        }
        live.add(thread);
        thread.start();
    }

    private void end() {
        if (running.decrementAndGet() == 0 && shutdown) {
            signalIdle();
        }
    }

    private void signalIdle() {
        lock.lock();
        try {
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        if (running.get() == 0) {
            signalIdle();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        for (Thread t : new ArrayList<>(live)) {
            t.interrupt();
        }
        return List.of(); // nothing ever waits
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && running.get() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!isTerminated()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
