package io.courier.rpc.cluster;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Ejects the providers of one reference that keep timing out or failing at the transport, and
 * re-admits them after a successful probe; see {@link OutlierDetection} for the rules.
 *
 * <p>Thread-safe. The state lives in each {@link Endpoint} ({@link State}), so it survives
 * registry updates that keep the address. A call that ends with an answer on a provider that is
 * not ejected takes no lock (the common case); failures and ejection changes lock the endpoint's
 * state, and an ejection also locks this detector so that two providers ejected at once cannot
 * together pass the cap.
 */
final class OutlierDetector {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    /** How an attempt's end counts. */
    enum Outcome {
        /** The provider answered (a business exception, {@code SERVER_BUSY} and the like included). */
        ANSWERED,
        /** A timeout or a transport failure: the provider may be gone or silent. */
        FAILED,
        /** Says nothing about the provider, e.g. the caller cancelled. */
        IGNORED
    }

    private static final int BUCKETS = 10;

    private final OutlierDetection options;
    private final Supplier<List<Endpoint>> peers;
    private final String service;
    private final LongSupplier nanoClock;
    private final long bucketNanos;
    private final long baseNanos;
    private final long maxNanos;

    /**
     * Creates a detector.
     *
     * @param peers the service's current endpoints, for the ejection cap
     * @param service the service, for logs
     * @param nanoClock a {@link System#nanoTime()}-like source
     */
    OutlierDetector(OutlierDetection options, Supplier<List<Endpoint>> peers, String service, LongSupplier nanoClock) {
        this.options = options;
        this.peers = peers;
        this.service = service;
        this.nanoClock = nanoClock;
        this.bucketNanos = Math.max(1, options.failureRateWindow().toNanos() / BUCKETS);
        this.baseNanos = options.baseEjectionTime().toNanos();
        this.maxNanos = options.maxEjectionTime().toNanos();
    }

    long now() {
        return nanoClock.getAsLong();
    }

    /** Whether the endpoint is ejected, its probe not yet answered. */
    static boolean isEjected(Endpoint e) {
        return e.outlier.ejected;
    }

    /** Whether a balancer may pick the endpoint now: not ejected, or its time is up and no probe is out. */
    boolean selectable(Endpoint e, long now) {
        State s = e.outlier;
        return !s.ejected || now - s.ejectedUntil >= 0 && !s.probing;
    }

    /**
     * Makes a call the probe of an ejected endpoint whose time is up; returns false when it is
     * not ejected, its time is not up, or another call is already probing it.
     */
    boolean tryClaimProbe(Endpoint e, long now) {
        State s = e.outlier;
        synchronized (s) {
            if (!s.ejected || now - s.ejectedUntil < 0 || s.probing) {
                return false;
            }
            s.probing = true;
        }
        log.debug("Probing ejected provider {} of {}", e.key(), service);
        return true;
    }

    /** How an attempt that ended with {@code failure} ({@code null} for an answer) counts. */
    static Outcome outcomeOf(RpcException failure) {
        if (failure == null) {
            return Outcome.ANSWERED;
        }
        return switch (failure.code()) {
            case TIMEOUT, OUTCOME_UNKNOWN, CONNECT_FAILED, NOT_SENT, CONNECTION_LOST -> Outcome.FAILED;
            // The caller gave up, or nothing was asked of this provider.
            case CANCELLED, NO_PROVIDER -> Outcome.IGNORED;
            default -> Outcome.ANSWERED;
        };
    }

    /** Records how an attempt on the endpoint ended; {@code probe} when it was the endpoint's probe. */
    void record(Endpoint e, Outcome outcome, boolean probe) {
        if (!options.enabled()) {
            return;
        }
        State s = e.outlier;
        if (outcome == Outcome.ANSWERED && !s.ejected) {
            s.add(now(), bucketNanos, false);
            // Read before writing: every call ends here, and a write each time would contend for nothing.
            if (s.consecutiveFailures != 0) {
                s.consecutiveFailures = 0;
            }
            return;
        }
        switch (outcome) {
            case ANSWERED -> readmit(e, s, probe);
            case FAILED -> failed(e, s, probe);
            case IGNORED -> {
                if (probe) {
                    synchronized (s) {
                        // The probe said nothing: let the next call probe instead.
                        s.probing = false;
                    }
                }
            }
        }
    }

    private void readmit(Endpoint e, State s, boolean probe) {
        int ejections;
        synchronized (s) {
            if (!s.ejected) {
                return;
            }
            ejections = s.ejections;
            s.ejected = false;
            s.probing = false;
            s.ejections = 0;
            s.consecutiveFailures = 0;
            s.clear();
        }
        log.info("Re-admitting provider {} of {}: {} answered after {} ejection(s) in a row", e.key(), service,
                probe ? "a probe call" : "a call", ejections);
    }

    private void failed(Endpoint e, State s, boolean probe) {
        long now = now();
        String reason;
        long ejectedNanos;
        int ejections;
        synchronized (s) {
            if (s.ejected) {
                if (!probe) {
                    // A call sent before the ejection, or one with nowhere else to go: no news.
                    return;
                }
                s.probing = false;
                ejections = ++s.ejections;
                ejectedNanos = ejectionNanos(ejections);
                s.ejectedUntil = now + ejectedNanos;
                reason = "its probe call failed";
            } else {
                s.add(now, bucketNanos, true);
                int consecutive = ++s.consecutiveFailures;
                reason = null;
                if (options.consecutiveFailures() > 0 && consecutive >= options.consecutiveFailures()) {
                    reason = consecutive + " consecutive timeouts or transport failures";
                } else if (options.failureRatePercent() > 0) {
                    long window = s.sum(now, bucketNanos);
                    long calls = window >>> 32;
                    long failures = window & 0xFFFF_FFFFL;
                    if (calls >= options.failureRateMinimumCalls() && failures * 100 > options.failureRatePercent() * calls) {
                        reason = failures + " of " + calls + " calls in " + options.failureRateWindow()
                                + " timed out or failed at the transport";
                    }
                }
                if (reason == null || !tryEject(e, s, now)) {
                    return;
                }
                ejections = s.ejections;
                ejectedNanos = s.ejectedUntil - now;
            }
        }
        log.warn("Ejecting provider {} of {} for {} ms: {} (ejection {} in a row)", e.key(), service,
                ejectedNanos / 1_000_000, reason, ejections);
    }

    private long ejectionNanos(int ejections) {
        // Linear growth, capped; past the cap the product is never computed, so it cannot overflow.
        return ejections > maxNanos / baseNanos ? maxNanos : Math.min(maxNanos, baseNanos * ejections);
    }

    /**
     * Ejects the endpoint unless that would pass the cap; called with its state locked. Counting
     * and marking under one lock keeps two providers failing at once from both passing the cap.
     */
    private synchronized boolean tryEject(Endpoint candidate, State s, long now) {
        List<Endpoint> all = peers.get();
        int ejected = 0;
        for (Endpoint p : all) {
            if (p != candidate && p.outlier.ejected) {
                ejected++;
            }
        }
        int allowed = all.size() * options.maxEjectionPercent() / 100;
        if (ejected + 1 > allowed) {
            log.debug("Not ejecting provider {} of {}: {} of {} already ejected (max {} %)", candidate.key(), service,
                    ejected, all.size(), options.maxEjectionPercent());
            return false;
        }
        int ejections = ++s.ejections;
        s.ejectedUntil = now + ejectionNanos(ejections);
        s.ejected = true;
        return true;
    }

    /** Returns a snapshot of the endpoint for views; {@code ejectedUntil} is on the wall clock. */
    EndpointStatus status(Endpoint e) {
        State s = e.outlier;
        boolean ejected;
        long until;
        int ejections;
        int consecutive;
        synchronized (s) {
            ejected = s.ejected;
            until = s.ejectedUntil;
            ejections = s.ejections;
            consecutive = s.consecutiveFailures;
        }
        Instant ejectedUntil = ejected ? Instant.now().plusNanos(until - now()) : null;
        return new EndpointStatus(e.key(), e.active(), !e.isHealthy(), ejected, ejectedUntil, ejections, consecutive);
    }

    /**
     * The outlier state of one endpoint. {@code ejected} and {@code consecutiveFailures} are read
     * without the lock on the fast path; every change but the racy reset of the failure count
     * happens under it. The failure-rate window is lock-free: ten buckets, each a stamp (which
     * slice of time it counts) and a count packing calls in the high and failures in the low 32 bits.
     */
    static final class State {

        volatile boolean ejected;
        /** When the ejection ends, on the detector's clock; meaningful while ejected. */
        volatile long ejectedUntil;
        /** Whether a probe call is out; guarded by this. */
        boolean probing;
        /** Ejections in a row without a successful probe; guarded by this. */
        int ejections;
        volatile int consecutiveFailures;
        private final AtomicLongArray stamps = new AtomicLongArray(BUCKETS);
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

        State() {
            for (int i = 0; i < BUCKETS; i++) {
                stamps.set(i, Long.MIN_VALUE);
            }
        }

        void add(long now, long bucketNanos, boolean failed) {
            long slice = Math.floorDiv(now, bucketNanos);
            int i = (int) Math.floorMod(slice, (long) BUCKETS);
            long stamp = stamps.get(i);
            if (stamp != slice && stamps.compareAndSet(i, stamp, slice)) {
                // A call counted by another thread between these two steps may be lost: the rate is an estimate.
                counts.set(i, 0);
            }
            counts.addAndGet(i, (1L << 32) | (failed ? 1 : 0));
        }

        /** Returns the window's calls (high 32 bits) and failures (low 32 bits). */
        long sum(long now, long bucketNanos) {
            long slice = Math.floorDiv(now, bucketNanos);
            long total = 0;
            for (int i = 0; i < BUCKETS; i++) {
                long age = slice - stamps.get(i);
                if (age >= 0 && age < BUCKETS) {
                    total += counts.get(i);
                }
            }
            return total;
        }

        void clear() {
            for (int i = 0; i < BUCKETS; i++) {
                stamps.set(i, Long.MIN_VALUE);
                counts.set(i, 0);
            }
        }
    }
}
