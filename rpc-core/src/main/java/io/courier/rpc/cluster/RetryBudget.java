package io.courier.rpc.cluster;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Caps retries at a fraction of calls, so a broken service cannot multiply the load on its
 * healthy peers: every call deposits {@code ratio} of a token, every retry withdraws one, and a
 * floor of {@code minRetriesPerSecond} keeps low-traffic consumers able to retry.
 *
 * <p>Thread-safe. Deposits, one per call, are a striped counter and never contend; the balance
 * is brought up to date under a lock only when a retry asks for a token, which is rare.
 */
public final class RetryBudget {

    private final double ratio;
    private final double minPerSecond;
    private final double cap;
    private final LongSupplier nanoClock;
    private final LongAdder calls = new LongAdder();
    private double balance;
    private long callsCounted;
    private long lastRefillNanos;

    /**
     * Creates a budget.
     *
     * @param ratio tokens deposited per call, e.g. 0.2 allows retries for one call in five
     * @param minRetriesPerSecond retries always allowed per second regardless of traffic
     */
    public RetryBudget(double ratio, int minRetriesPerSecond) {
        this(ratio, minRetriesPerSecond, System::nanoTime);
    }

    /** Creates a budget with an explicit clock; for tests. */
    public RetryBudget(double ratio, int minRetriesPerSecond, LongSupplier nanoClock) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio: " + ratio + " (expected: 0..1)");
        }
        if (minRetriesPerSecond < 0) {
            throw new IllegalArgumentException("minRetriesPerSecond: " + minRetriesPerSecond + " (expected: >= 0)");
        }
        this.ratio = ratio;
        this.minPerSecond = minRetriesPerSecond;
        this.cap = Math.max(10, minRetriesPerSecond * 10);
        this.nanoClock = nanoClock;
        this.lastRefillNanos = nanoClock.getAsLong();
        this.balance = minRetriesPerSecond;
    }

    /** Returns the default budget: 20 % of calls plus 10 retries a second. */
    public static RetryBudget ofDefaults() {
        return new RetryBudget(0.2, 10);
    }

    /** Records a call (first attempt). */
    public void deposit() {
        calls.increment();
    }

    /** Takes a token for a retry; returns whether one was available. */
    public synchronized boolean tryWithdraw() {
        long now = nanoClock.getAsLong();
        long total = calls.sum();
        // Deposits only add, so capping their sum once equals capping after each of them.
        balance = Math.min(cap, balance + (total - callsCounted) * ratio + (now - lastRefillNanos) / 1e9 * minPerSecond);
        callsCounted = total;
        lastRefillNanos = now;
        if (balance >= 1) {
            balance -= 1;
            return true;
        }
        return false;
    }
}
