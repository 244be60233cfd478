package io.courier.rpc.cluster;

import io.courier.rpc.registry.ProviderInstance;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A provider address in a consumer's routing table, with the live statistics load balancers
 * read: calls in flight, an exponentially weighted moving average of latency, and health.
 *
 * <p>Thread-safe. The statistics survive registry updates that keep the address.
 */
public final class Endpoint {

    private static final double EWMA_ALPHA = 0.2;
    private static final long MIN_COOLDOWN_NANOS = 200_000_000L;
    private static final long MAX_COOLDOWN_NANOS = 10_000_000_000L;

    private final InetSocketAddress address;
    private final String key;
    private volatile ProviderInstance instance;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong ewmaNanos = new AtomicLong();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final LongSupplier nanoClock;
    /** End of the current cool-down on {@link #nanoClock}; 0 means none. */
    private volatile long unhealthyUntilNanos;
    /** Outlier ejection, kept and changed by the reference's {@link OutlierDetector}. */
    final OutlierDetector.State outlier = new OutlierDetector.State();

    Endpoint(ProviderInstance instance) {
        this(instance, System::nanoTime);
    }

    /** Creates an endpoint whose cool-down runs on {@code nanoClock}, a {@link System#nanoTime()}-like source. */
    Endpoint(ProviderInstance instance, LongSupplier nanoClock) {
        this.instance = instance;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.address = InetSocketAddress.createUnresolved(instance.host(), instance.port());
        this.key = instance.address();
    }

    /** Returns the address to connect to. */
    public InetSocketAddress address() {
        return address;
    }

    /** Returns {@code host:port}. */
    public String key() {
        return key;
    }

    /** Returns what the registry says about this provider. */
    public ProviderInstance instance() {
        return instance;
    }

    void update(ProviderInstance newInstance) {
        this.instance = newInstance;
    }

    /** Returns the advertised weight. */
    public int weight() {
        return instance.weight();
    }

    /** Returns the advertised tags. */
    public Set<String> tags() {
        return instance.tags();
    }

    /** Returns the calls in flight to this endpoint from this consumer. */
    public int active() {
        return active.get();
    }

    /** Returns the moving average latency in nanoseconds, 0 before the first answer. */
    public long latencyNanos() {
        return ewmaNanos.get();
    }

    /** Whether the endpoint is not cooling down after a connection failure. */
    public boolean isHealthy() {
        long until = unhealthyUntilNanos;
        return until == 0 || nanoClock.getAsLong() - until >= 0;
    }

    void callStarted() {
        active.incrementAndGet();
    }

    void callEnded(long latencyNanos, boolean reachable) {
        active.decrementAndGet();
        if (reachable) {
            // Read before writing: every call ends here, and a write to a shared line each time
            // would make the callers of one endpoint contend for nothing.
            if (consecutiveFailures.get() != 0) {
                consecutiveFailures.set(0);
            }
            if (unhealthyUntilNanos != 0) {
                unhealthyUntilNanos = 0;
            }
            long old;
            long next;
            do {
                old = ewmaNanos.get();
                next = old == 0 ? latencyNanos : (long) (old + EWMA_ALPHA * (latencyNanos - old));
            } while (!ewmaNanos.compareAndSet(old, next));
        } else {
            markUnreachable();
        }
    }

    /**
     * Takes the endpoint out of rotation for a cooldown that doubles with each consecutive
     * failure; once it passes, the next call probes it back in.
     */
    void markUnreachable() {
        int failures = consecutiveFailures.incrementAndGet();
        long cooldown = Math.min(MAX_COOLDOWN_NANOS, MIN_COOLDOWN_NANOS << Math.min(failures - 1, 10));
        long until = nanoClock.getAsLong() + cooldown;
        // 0 means "not cooling down", so an end that lands exactly on 0 moves by a nanosecond.
        unhealthyUntilNanos = until == 0 ? 1 : until;
    }

    @Override
    public String toString() {
        return "Endpoint[" + key + ", weight=" + weight() + ", tags=" + tags() + ", active=" + active()
                + (isHealthy() ? "" : ", cooling down") + (outlier.ejected ? ", ejected" : "") + "]";
    }
}
