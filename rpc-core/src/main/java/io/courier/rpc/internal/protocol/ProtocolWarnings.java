package io.courier.rpc.internal.protocol;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs protocol violations from remote peers, at most one warning per interval, so a flood of
 * bad frames cannot fill the disk.
 *
 * <p>Thread-safe. One instance is shared by every channel of a server or client; warnings
 * suppressed in between are counted and reported with the next one that is logged.
 */
public final class ProtocolWarnings {

    private static final Logger log = LoggerFactory.getLogger(ProtocolWarnings.class);

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    /** Creates a throttle logging at most one warning per second. */
    public ProtocolWarnings() {
        this(TimeUnit.SECONDS.toNanos(1), System::nanoTime);
    }

    /** Creates a throttle with an explicit interval and clock; for tests. */
    public ProtocolWarnings(long intervalNanos, LongSupplier nanoClock) {
        this.intervalNanos = intervalNanos;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.nextAllowed = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * Reports a violation by {@code remote}; returns whether it was logged (rather than suppressed).
     */
    public boolean warn(SocketAddress remote, String problem) {
        long now = nanoClock.getAsLong();
        long allowed = nextAllowed.get();
        if (now - allowed < 0 || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long skipped = suppressed.getAndSet(0);
        if (skipped > 0) {
            log.warn("Protocol violation from {}: {} ({} similar warnings suppressed)", remote, problem, skipped);
        } else {
            log.warn("Protocol violation from {}: {}", remote, problem);
        }
        return true;
    }
}
