package io.courier.rpc.internal.transport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts calls a server has accepted but not yet answered, so shutdown can wait for them.
 *
 * <p>Thread-safe. Counting is a lock-free atomic on the hot path; only a waiting shutdown takes
 * the monitor.
 */
final class InFlightCalls {

    private final AtomicInteger count = new AtomicInteger();
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
