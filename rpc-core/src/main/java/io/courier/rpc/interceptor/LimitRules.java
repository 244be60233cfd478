package io.courier.rpc.interceptor;

import io.courier.rpc.invoke.MethodMetadata;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Limits per service interface and per method, the most specific winning: a method's own limit,
 * else its service's, else none.
 *
 * <p>Immutable and thread-safe. Keys are fully qualified interface names; method limits apply
 * to every overload of the name.
 *
 * @param <L> the kind of limit, e.g. {@link RateLimit} or a maximum concurrency
 */
public final class LimitRules<L> {

    private static final LimitRules<?> NONE = new LimitRules<>(Map.of(), Map.of());

    private final Map<String, L> services;
    private final Map<String, L> methods;

    private LimitRules(Map<String, L> services, Map<String, L> methods) {
        this.services = services;
        this.methods = methods;
    }

    /** Returns rules without any limit. */
    @SuppressWarnings("unchecked")
    public static <L> LimitRules<L> none() {
        return (LimitRules<L>) NONE;
    }

    /** Returns a builder. */
    public static <L> Builder<L> builder() {
        return new Builder<>();
    }

    /** Returns the limit for a method, or {@code null} when it is unlimited. */
    public L limitFor(MethodMetadata method) {
        if (!methods.isEmpty()) {
            L limit = methods.get(method.qualifiedName());
            if (limit != null) {
                return limit;
            }
        }
        return services.isEmpty() ? null : services.get(method.interfaceName());
    }

    /** Returns the limit set on the method itself, or {@code null}. */
    public L methodLimit(MethodMetadata method) {
        return methods.isEmpty() ? null : methods.get(method.qualifiedName());
    }

    /** Returns the limit set on the method's service, or {@code null}. */
    public L serviceLimit(MethodMetadata method) {
        return services.isEmpty() ? null : services.get(method.interfaceName());
    }

    /** Returns the key a method's limit is counted under: the method's when it has its own, else the service's. */
    String bucketKey(MethodMetadata method) {
        String methodKey = method.qualifiedName();
        return methods.containsKey(methodKey) ? methodKey : method.interfaceName();
    }

    /** Whether no limit is set at all. */
    public boolean isEmpty() {
        return services.isEmpty() && methods.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LimitRules<?> r && services.equals(r.services) && methods.equals(r.methods);
    }

    @Override
    public int hashCode() {
        return Objects.hash(services, methods);
    }

    @Override
    public String toString() {
        return "LimitRules[services=" + services + ", methods=" + methods + "]";
    }

    /** Builds {@link LimitRules}; not thread-safe. */
    public static final class Builder<L> {

        private final Map<String, L> services = new HashMap<>();
        private final Map<String, L> methods = new HashMap<>();

        private Builder() {
        }

        /** Limits every method of a service interface (by fully qualified name). */
        public Builder<L> service(String interfaceName, L limit) {
            services.put(Objects.requireNonNull(interfaceName, "interfaceName"), Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /** Limits one method (all overloads) of a service interface. */
        public Builder<L> method(String interfaceName, String methodName, L limit) {
            Objects.requireNonNull(interfaceName, "interfaceName");
            Objects.requireNonNull(methodName, "methodName");
            methods.put(interfaceName + "#" + methodName, Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /** Returns the immutable rules. */
        public LimitRules<L> build() {
            return new LimitRules<>(Map.copyOf(services), Map.copyOf(methods));
        }
    }
}
