package io.courier.rpc.internal.transport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts calls a server has accepted but not yet answered, so shutdown can wait for them, and
 * those of them still waiting for a thread of the executor.
 *
 * <p>Thread-safe. Counting is a lock-free atomic on the hot path; only a waiting shutdown takes
 * the monitor.
 */
final class InFlightCalls {

    private final AtomicInteger count = new AtomicInteger();
    /** Handed to the executor and not yet started; a LongAdder, as an event loop and a worker both write it. */
    private final LongAdder queued = new LongAdder();
    private volatile boolean awaited;

    void begin() {
        count.incrementAndGet();
    }

    void end() {
        if (count.decrementAndGet() == 0 && awaited) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    int count() {
        return count.get();
    }

    /** A call is handed to the executor. */
    void enqueue() {
        queued.increment();
    }

    /** A call handed to the executor started running, or the executor refused it. */
    void dequeue() {
        queued.decrement();
    }

    /** Returns the number of calls handed to the executor that have not started running. */
    int queuedCount() {
        // The sum may lag a concurrent dequeue of a call whose enqueue it has not seen yet.
        return (int) Math.max(0, queued.sum());
    }

    /** Waits until no call is in flight or {@code timeout} passes; returns whether all finished. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        awaited = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.get() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // Bounded wait: a notify racing with this check is caught on the next round.
            wait(Math.max(1, Math.min(left / 1_000_000, 50)));
        }
        return true;
    }
}
