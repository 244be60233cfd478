package io.courier.rpc.internal.transport;

import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counts a provider's answers that could not be delivered as they were, and logs them at most
 * once per interval, so that a connection failing under a thousand answers writes one warning
 * and a count, not a thousand stack traces.
 *
 * <p>Thread-safe. One instance per server, shared by its connections.
 */
final class AnswerFailures {

    private static final Logger log = LoggerFactory.getLogger(AnswerFailures.class);

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final AtomicLong failedEncodings = new AtomicLong();

    AnswerFailures() {
        this(TimeUnit.SECONDS.toNanos(1), System::nanoTime);
    }

    AnswerFailures(long intervalNanos, LongSupplier nanoClock) {
        this.intervalNanos = intervalNanos;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.nextAllowed = new AtomicLong(nanoClock.getAsLong());
    }

    /** An answer was encoded but never reached the socket: the consumer will not get it. */
    void writeFailed(Channel channel, long requestId, Throwable cause) {
        failedWrites.incrementAndGet();
        if (cause instanceof ClosedChannelException) {
            // The consumer closed the connection: it no longer waits, and knows why.
            log.debug("Answer to request {} on {} was not written: the connection closed", requestId, channel);
            return;
        }
        warn("Answer to request {} on {} was not written{}: {}", requestId, channel, cause);
    }

    /**
     * An answer could not be encoded for lack of memory; the consumer gets a small error instead
     * (or nothing, when even that cannot be written, which {@link #writeFailed} then counts).
     */
    void encodeFailed(Channel channel, long requestId, Throwable cause) {
        failedEncodings.incrementAndGet();
        warn("Answer to request {} on {} could not be encoded{}, answering with an error instead: {}", requestId,
                channel, cause);
    }

    /** Returns how many answers were lost on their way to the socket. */
    long failedWrites() {
        return failedWrites.get();
    }

    /** Returns how many answers were replaced by an error because they could not be encoded. */
    long failedEncodings() {
        return failedEncodings.get();
    }

    private void warn(String format, long requestId, Channel channel, Throwable cause) {
        long now = nanoClock.getAsLong();
        long allowed = nextAllowed.get();
        if (now - allowed < 0 || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        String more = skipped > 0 ? " (" + skipped + " similar failures since the last warning)" : "";
        log.warn(format, requestId, channel, more, cause.toString());
    }
}
