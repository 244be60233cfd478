package io.courier.rpc.internal.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A provider's warnings about consumers that fail to connect securely: at most one per kind of
 * failure and consumer host per interval, so a consumer retrying a bad configuration every few
 * hundred milliseconds shows up once, with a count of the repeats when it shows up again.
 *
 * <p>Thread-safe. One instance per server; it forgets everything when it tracks too many
 * consumers, so that a scan from many addresses cannot grow it without bound.
 */
final class HandshakeWarnings {

    private static final Logger log = LoggerFactory.getLogger(HandshakeWarnings.class);
    private static final int MAX_KEYS = 4096;

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    HandshakeWarnings() {
        this(TimeUnit.MINUTES.toNanos(1), System::nanoTime);
    }

    HandshakeWarnings(long intervalNanos, LongSupplier nanoClock) {
        this.intervalNanos = intervalNanos;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Reports a failure of {@code kind} from {@code remote}; returns whether it was logged. */
    boolean warn(SocketAddress remote, String kind, String detail) {
        String host = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(remote);
        if (entries.size() >= MAX_KEYS) {
            entries.clear();
        }
        long now = nanoClock.getAsLong();
        Entry entry = entries.computeIfAbsent(kind + '|' + host, k -> new Entry(now));
        long allowed = entry.nextAllowed.get();
        if (now - allowed < 0 || !entry.nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            entry.suppressed.incrementAndGet();
            return false;
        }
        long repeats = entry.suppressed.getAndSet(0);
        log.warn("Secure connection from {} refused ({}): {}; nothing was invoked{}", remote, kind, detail,
                repeats > 0 ? " (" + repeats + " more like it since the last warning)" : "");
        return true;
    }

    private static final class Entry {

        final AtomicLong nextAllowed;
        final AtomicLong suppressed = new AtomicLong();

        Entry(long now) {
            this.nextAllowed = new AtomicLong(now);
        }
    }
}
