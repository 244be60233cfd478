package io.courier.rpc.spring.test;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One script: which calls it takes, how many, and what it does to them.
 *
 * <p>Thread-safe: {@link #tryClaim()} takes one of the calls left atomically.
 */
final class FaultRule {

    static final int UNLIMITED = -1;

    private final String interfaceName;
    private final String method;
    private final int limit;
    private final FaultAction action;
    private final AtomicInteger hits = new AtomicInteger();

    FaultRule(String interfaceName, String method, int limit, FaultAction action) {
        this.interfaceName = interfaceName;
        this.method = method;
        this.limit = limit;
        this.action = action;
    }

    boolean matches(String interfaceName, String method) {
        return this.method.equals(method) && this.interfaceName.equals(interfaceName);
    }

    boolean consumerSide() {
        return action.consumerSide();
    }

    FaultAction action() {
        return action;
    }

    /** Takes one call if the script has calls left. */
    boolean tryClaim() {
        if (limit == UNLIMITED) {
            hits.incrementAndGet();
            return true;
        }
        while (true) {
            int taken = hits.get();
            if (taken >= limit) {
                return false;
            }
            if (hits.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    int hits() {
        return hits.get();
    }
}
