package io.courier.rpc.interceptor;

import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.RpcErrorCode;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token-bucket rate limiting per service and per method (Bucket4j buckets), refusing excess
 * calls at once with {@link RpcErrorCode#RATE_LIMITED}.
 *
 * <p>Thread-safe and non-blocking. On a provider, register it as an {@link AdmissionControl}:
 * refused calls never reach the business executor. On a consumer, register it as a
 * {@link ClientInterceptor}: refused calls are never sent. Limits can be replaced at runtime
 * with {@link #update(LimitRules)}; a bucket whose limit changes keeps its share of tokens.
 */
public final class RateLimiter implements AdmissionControl, ClientInterceptor {

    private final TimeMeter timeMeter;
    private final Map<String, Limited> buckets = new ConcurrentHashMap<>();
    private volatile LimitRules<RateLimit> rules;

    /** Creates a limiter with the given rules, on the system clock. */
    public RateLimiter(LimitRules<RateLimit> rules) {
        this(rules, System::nanoTime);
    }

    /** Creates a limiter with the given rules and nanosecond clock; for tests. */
    public RateLimiter(LimitRules<RateLimit> rules, LongSupplier nanoClock) {
        this.rules = Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(nanoClock, "nanoClock");
        this.timeMeter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoClock.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }

    /** Replaces the limits; calls in progress are unaffected. */
    public void update(LimitRules<RateLimit> newRules) {
        this.rules = Objects.requireNonNull(newRules, "newRules");
    }

    /** Returns the limits in force. */
    public LimitRules<RateLimit> rules() {
        return rules;
    }

    /** Takes a permit for a call to {@code method}; returns whether one was available. */
    public boolean tryAcquire(MethodMetadata method) {
        LimitRules<RateLimit> current = rules;
        RateLimit limit = current.limitFor(method);
        if (limit == null) {
            return true;
        }
        String key = current.bucketKey(method);
        Limited limited = buckets.get(key);
        if (limited == null || !limited.limit.equals(limit)) {
            limited = buckets.compute(key, (k, old) -> reconfigure(old, limit));
        }
        return limited.bucket.tryConsume(1);
    }

    private Limited reconfigure(Limited old, RateLimit limit) {
        if (old != null && old.limit.equals(limit)) {
            return old;
        }
        BucketConfiguration configuration = BucketConfiguration.builder().addLimit(bandwidth(limit)).build();
        if (old == null) {
            Bucket bucket = Bucket.builder().addLimit(bandwidth(limit)).withCustomTimePrecision(timeMeter).build();
            return new Limited(bucket, limit);
        }
        old.bucket.replaceConfiguration(configuration, TokensInheritanceStrategy.PROPORTIONALLY);
        return new Limited(old.bucket, limit);
    }

    private static Bandwidth bandwidth(RateLimit limit) {
        long periodNanos = Math.max(1, Math.round(1_000_000_000d / limit.permitsPerSecond()));
        return Bandwidth.builder()
                .capacity(limit.burst())
                .refillGreedy(1, Duration.ofNanos(periodNanos))
                .build();
    }

    @Override
    public RpcException tryAdmit(MethodMetadata method) {
        return tryAcquire(method) ? null : limited(method);
    }

    @Override
    public boolean appliesTo(MethodMetadata method) {
        return true;
    }

    @Override
    public CompletableFuture<RpcResponse> intercept(Chain chain) {
        MethodMetadata method = chain.request().method();
        if (!tryAcquire(method)) {
            return CompletableFuture.failedFuture(limited(method));
        }
        return chain.proceed(chain.request());
    }

    private static RpcException limited(MethodMetadata method) {
        return RpcException.refusal(RpcErrorCode.RATE_LIMITED, "Rate limit exceeded for " + method.interfaceName() + "#"
                + method.name());
    }

    private record Limited(Bucket bucket, RateLimit limit) {
    }
}
