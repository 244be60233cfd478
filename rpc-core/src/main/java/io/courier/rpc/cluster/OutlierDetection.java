package io.courier.rpc.cluster;

import io.courier.rpc.InvalidOptionException;

import java.time.Duration;
import java.util.Objects;

/**
 * When a consumer stops sending calls to a provider that keeps failing in ways that say it is
 * unreachable or silent ({@code TIMEOUT}, {@code OUTCOME_UNKNOWN}, {@code CONNECT_FAILED},
 * {@code NOT_SENT}, {@code CONNECTION_LOST}), and for how long: outlier ejection, as in Envoy or
 * gRPC.
 *
 * <p>A provider is ejected after {@link #consecutiveFailures()} such failures in a row, or when
 * more than {@link #failureRatePercent()} of at least {@link #failureRateMinimumCalls()} calls
 * in the last {@link #failureRateWindow()} failed so. It then gets no calls for
 * {@link #baseEjectionTime()} times the number of times it was ejected in a row, at most
 * {@link #maxEjectionTime()}. When that time is over one call goes through as a probe: an
 * answer re-admits the provider and forgets its past ejections, another such failure ejects it
 * again for longer. At most {@link #maxEjectionPercent()} of a service's providers are ejected
 * at once, so ejection never empties a service. An answer of any kind, a business exception
 * or {@code SERVER_BUSY} included, counts as a success: the provider is there.
 *
 * <pre>{@code
 * OutlierDetection outliers = OutlierDetection.builder()
 *     .consecutiveFailures(3)
 *     .baseEjectionTime(Duration.ofMillis(500))  // else "baseEjectionTime: PT0S (expected: > 0)"
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe, with value equality.
 */
public final class OutlierDetection {

    private static final OutlierDetection DEFAULTS = new Builder().build();
    private static final OutlierDetection DISABLED = new Builder().enabled(false).build();

    private final boolean enabled;
    private final int consecutiveFailures;
    private final int failureRatePercent;
    private final Duration failureRateWindow;
    private final int failureRateMinimumCalls;
    private final Duration baseEjectionTime;
    private final Duration maxEjectionTime;
    private final int maxEjectionPercent;

    private OutlierDetection(Builder b) {
        this.enabled = b.enabled;
        this.consecutiveFailures = b.consecutiveFailures;
        this.failureRatePercent = b.failureRatePercent;
        this.failureRateWindow = b.failureRateWindow;
        this.failureRateMinimumCalls = b.failureRateMinimumCalls;
        this.baseEjectionTime = b.baseEjectionTime;
        this.maxEjectionTime = b.maxEjectionTime;
        this.maxEjectionPercent = b.maxEjectionPercent;
    }

    /**
     * Returns the defaults: 5 consecutive failures, or more than 50 % of at least 20 calls in
     * 10 s; ejected for 1 s times the ejections in a row, at most 30 s; at most 50 % of providers.
     */
    public static OutlierDetection ofDefaults() {
        return DEFAULTS;
    }

    /** Returns a detection that never ejects a provider. */
    public static OutlierDetection disabled() {
        return DISABLED;
    }

    /** Returns a builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder starting from these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.consecutiveFailures = consecutiveFailures;
        b.failureRatePercent = failureRatePercent;
        b.failureRateWindow = failureRateWindow;
        b.failureRateMinimumCalls = failureRateMinimumCalls;
        b.baseEjectionTime = baseEjectionTime;
        b.maxEjectionTime = maxEjectionTime;
        b.maxEjectionPercent = maxEjectionPercent;
        return b;
    }

    /** Whether providers are ejected at all. */
    public boolean enabled() {
        return enabled;
    }

    /** Returns how many failures in a row eject a provider; 0 when only the failure rate does. */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Returns the share of failed calls, in percent, above which a provider is ejected; 0 when only consecutive failures do. */
    public int failureRatePercent() {
        return failureRatePercent;
    }

    /** Returns how far back the failure rate looks. */
    public Duration failureRateWindow() {
        return failureRateWindow;
    }

    /** Returns how many calls the window must hold before its failure rate counts. */
    public int failureRateMinimumCalls() {
        return failureRateMinimumCalls;
    }

    /** Returns how long a first ejection lasts; each further ejection in a row adds as much. */
    public Duration baseEjectionTime() {
        return baseEjectionTime;
    }

    /** Returns the longest an ejection lasts. */
    public Duration maxEjectionTime() {
        return maxEjectionTime;
    }

    /** Returns the largest share of a service's providers, in percent, ejected at once (rounded down). */
    public int maxEjectionPercent() {
        return maxEjectionPercent;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof OutlierDetection d
                && enabled == d.enabled
                && consecutiveFailures == d.consecutiveFailures
                && failureRatePercent == d.failureRatePercent
                && failureRateWindow.equals(d.failureRateWindow)
                && failureRateMinimumCalls == d.failureRateMinimumCalls
                && baseEjectionTime.equals(d.baseEjectionTime)
                && maxEjectionTime.equals(d.maxEjectionTime)
                && maxEjectionPercent == d.maxEjectionPercent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, consecutiveFailures, failureRatePercent, failureRateWindow,
                failureRateMinimumCalls, baseEjectionTime, maxEjectionTime, maxEjectionPercent);
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "OutlierDetection[disabled]";
        }
        return "OutlierDetection[consecutiveFailures=" + consecutiveFailures + ", failureRate>" + failureRatePercent
                + "% of >=" + failureRateMinimumCalls + " calls in " + failureRateWindow + ", ejection="
                + baseEjectionTime + "..." + maxEjectionTime + ", maxEjectionPercent=" + maxEjectionPercent + "]";
    }

    /** Builds an {@link OutlierDetection}; not thread-safe. Each value is checked as it is set. */
    public static final class Builder {

        private boolean enabled = true;
        private int consecutiveFailures = 5;
        private int failureRatePercent = 50;
        private Duration failureRateWindow = Duration.ofSeconds(10);
        private int failureRateMinimumCalls = 20;
        private Duration baseEjectionTime = Duration.ofSeconds(1);
        private Duration maxEjectionTime = Duration.ofSeconds(30);
        private int maxEjectionPercent = 50;

        private Builder() {
        }

        /** Sets whether providers are ejected at all (default true). */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Sets how many failures in a row eject a provider, 0 to rely on the failure rate alone (default 5). */
        public Builder consecutiveFailures(int consecutiveFailures) {
            this.consecutiveFailures = between("consecutiveFailures", consecutiveFailures, 0, 1_000);
            return this;
        }

        /** Sets the share of failed calls, in percent, above which a provider is ejected, 0 to rely on consecutive failures alone (default 50). */
        public Builder failureRatePercent(int failureRatePercent) {
            this.failureRatePercent = between("failureRatePercent", failureRatePercent, 0, 99);
            return this;
        }

        /** Sets how far back the failure rate looks (default 10 s). */
        public Builder failureRateWindow(Duration failureRateWindow) {
            this.failureRateWindow = atLeast("failureRateWindow", failureRateWindow, Duration.ofMillis(10));
            return this;
        }

        /** Sets how many calls the window must hold before its failure rate counts (default 20). */
        public Builder failureRateMinimumCalls(int failureRateMinimumCalls) {
            this.failureRateMinimumCalls = between("failureRateMinimumCalls", failureRateMinimumCalls, 1, 1_000_000);
            return this;
        }

        /** Sets how long a first ejection lasts; each further one in a row adds as much (default 1 s). */
        public Builder baseEjectionTime(Duration baseEjectionTime) {
            this.baseEjectionTime = atLeast("baseEjectionTime", baseEjectionTime, Duration.ofMillis(1));
            return this;
        }

        /** Sets the longest an ejection lasts (default 30 s); at least the base ejection time. */
        public Builder maxEjectionTime(Duration maxEjectionTime) {
            this.maxEjectionTime = atLeast("maxEjectionTime", maxEjectionTime, Duration.ofMillis(1));
            return this;
        }

        /** Sets the largest share of a service's providers, in percent, ejected at once, rounded down (default 50). */
        public Builder maxEjectionPercent(int maxEjectionPercent) {
            this.maxEjectionPercent = between("maxEjectionPercent", maxEjectionPercent, 0, 100);
            return this;
        }

        /**
         * Returns the immutable options.
         *
         * @throws InvalidOptionException naming {@code maxEjectionTime} when it is shorter than the base ejection time
         */
        public OutlierDetection build() {
            if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
                throw new InvalidOptionException("maxEjectionTime", maxEjectionTime,
                        ">= baseEjectionTime (" + baseEjectionTime + ")");
            }
            return new OutlierDetection(this);
        }

        private static int between(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new InvalidOptionException(name, value, min + ".." + max);
            }
            return value;
        }

        private static Duration atLeast(String name, Duration value, Duration min) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0) {
                throw new InvalidOptionException(name, value, value.isNegative() || value.isZero() ? "> 0" : ">= " + min);
            }
            return value;
        }
    }
}
