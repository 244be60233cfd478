package io.courier.rpc.transport;

import java.time.Duration;

/**
 * Counts calls a server has accepted but not yet answered, so shutdown can wait for them.
 *
 * <p>Thread-safe.
 */
final class InFlightCalls {

    private int count;

    synchronized void begin() {
        count++;
    }

    synchronized void end() {
        if (--count == 0) {
            notifyAll();
        }
    }

    synchronized int count() {
        return count;
    }

    /** Waits until no call is in flight or {@code timeout} passes; returns whether all finished. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            long millis = Math.max(1, left / 1_000_000);
            wait(millis);
        }
        return true;
    }
}
