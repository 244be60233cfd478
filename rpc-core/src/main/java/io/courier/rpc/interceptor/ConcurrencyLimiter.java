package io.courier.rpc.interceptor;

import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.RpcErrorCode;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the calls a provider runs at once per service and per method, answering
 * {@link RpcErrorCode#SERVER_BUSY} above the cap.
 *
 * <p>Thread-safe and non-blocking; register it with the server as an {@link AdmissionControl}.
 * Limits can be replaced at runtime with {@link #update(LimitRules)}.
 */
public final class ConcurrencyLimiter implements AdmissionControl {

    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private volatile LimitRules<Integer> rules;

    /** Creates a limiter; each rule's value is the maximum number of calls in flight. */
    public ConcurrencyLimiter(LimitRules<Integer> rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** Replaces the limits; calls in progress are unaffected. */
    public void update(LimitRules<Integer> newRules) {
        this.rules = Objects.requireNonNull(newRules, "newRules");
    }

    @Override
    public RpcException tryAdmit(MethodMetadata method) {
        LimitRules<Integer> current = rules;
        // Every call is counted, limited or not, so a limit added at runtime starts from the truth.
        AtomicInteger perMethod = counter(method.qualifiedName());
        AtomicInteger perService = counter(method.interfaceName());
        int methodCount = perMethod.incrementAndGet();
        int serviceCount = perService.incrementAndGet();
        Integer methodMax = current.methodLimit(method);
        Integer serviceMax = current.serviceLimit(method);
        if (methodMax != null ? methodCount > methodMax : serviceMax != null && serviceCount > serviceMax) {
            perMethod.decrementAndGet();
            perService.decrementAndGet();
            return RpcException.refusal(RpcErrorCode.SERVER_BUSY, "Concurrency limit of "
                    + (methodMax != null ? methodMax : serviceMax) + " reached for " + method.interfaceName()
                    + (methodMax != null ? "#" + method.name() : ""));
        }
        return null;
    }

    @Override
    public void onComplete(MethodMetadata method) {
        counter(method.qualifiedName()).decrementAndGet();
        counter(method.interfaceName()).decrementAndGet();
    }

    /** Returns the calls of a method in flight. */
    public int inFlight(MethodMetadata method) {
        AtomicInteger counter = inFlight.get(method.qualifiedName());
        return counter == null ? 0 : counter.get();
    }

    private AtomicInteger counter(String key) {
        AtomicInteger counter = inFlight.get(key);
        return counter != null ? counter : inFlight.computeIfAbsent(key, k -> new AtomicInteger());
    }
}
