package io.courier.rpc.config;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.RpcMethod;
import io.courier.rpc.auth.CallCredentials;
import io.courier.rpc.cluster.ClusterMode;
import io.courier.rpc.cluster.ClusterPolicy;
import io.courier.rpc.cluster.LoadBalancerFactory;
import io.courier.rpc.cluster.LoadBalancers;
import io.courier.rpc.cluster.OutlierDetection;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.HostAndPort;
import io.courier.rpc.tls.ClientTls;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a consumer calls: an interface, its version and group, where the providers are, and the
 * call policy (timeouts, retries).
 *
 * <p>Immutable and thread-safe, with value equality: an {@link io.courier.rpc.RpcClient} shares
 * one proxy per distinct config. Timeout precedence, most specific first: a
 * {@link #methodTimeouts() method timeout} here, {@link io.courier.rpc.RpcMethod#timeoutMillis()}
 * on the interface method, {@link #timeout()} here, then the client's default request timeout.
 * Per-attempt timeouts of idempotent methods follow the same order ({@link #methodAttemptTimeouts()},
 * {@link io.courier.rpc.RpcMethod#attemptTimeoutMillis()}, {@link #attemptTimeout()}), with none
 * as the last resort, and so do hedging delays ({@link #methodHedgeDelays()},
 * {@link io.courier.rpc.RpcMethod#hedgeDelayMillis()}, {@link #hedgeDelay()}).
 *
 * @param <T> the service interface
 */
public final class ReferenceConfig<T> {

    private final Class<T> serviceInterface;
    private final String version;
    private final String group;
    private final List<InetSocketAddress> addresses;
    private final Duration timeout;
    private final Map<String, Duration> methodTimeouts;
    private final Duration attemptTimeout;
    private final Map<String, Duration> methodAttemptTimeouts;
    private final Duration hedgeDelay;
    private final Map<String, Duration> methodHedgeDelays;
    private final int hedgeAttempts;
    private final int retries;
    private final LoadBalancerFactory loadBalancer;
    private final Map<String, LoadBalancerFactory> methodLoadBalancers;
    private final ClusterMode cluster;
    private final OutlierDetection outlierDetection;
    private final String tag;
    private final boolean fallbackToUntagged;
    private final boolean check;
    private final boolean async;
    private final ClientTls tls;
    private final CallCredentials credentials;

    private ReferenceConfig(Builder<T> b) {
        this.serviceInterface = b.serviceInterface;
        this.version = b.version;
        this.group = b.group;
        this.addresses = List.copyOf(b.addresses);
        this.timeout = b.timeout;
        this.methodTimeouts = Map.copyOf(b.methodTimeouts);
        this.attemptTimeout = b.attemptTimeout;
        this.methodAttemptTimeouts = Map.copyOf(b.methodAttemptTimeouts);
        this.hedgeDelay = b.hedgeDelay;
        this.methodHedgeDelays = Map.copyOf(b.methodHedgeDelays);
        this.hedgeAttempts = b.hedgeAttempts;
        this.retries = b.retries;
        this.loadBalancer = b.loadBalancer;
        this.methodLoadBalancers = Map.copyOf(b.methodLoadBalancers);
        this.cluster = b.cluster;
        this.outlierDetection = b.outlierDetection;
        this.tag = b.tag;
        this.fallbackToUntagged = b.fallbackToUntagged;
        this.check = b.check;
        this.async = b.async;
        this.tls = b.tls;
        this.credentials = b.credentials;
    }

    /** Returns a builder for a reference to an interface. */
    public static <T> Builder<T> builder(Class<T> serviceInterface) {
        return new Builder<>(serviceInterface);
    }

    /** Returns the referenced interface. */
    public Class<T> serviceInterface() {
        return serviceInterface;
    }

    /** Returns the version, empty for none. */
    public String version() {
        return version;
    }

    /** Returns the group, empty for none. */
    public String group() {
        return group;
    }

    /** Returns the key the provider exports the service under. */
    public ServiceKey serviceKey() {
        return ServiceKey.of(serviceInterface, version, group);
    }

    /** Returns the provider addresses to call directly; empty to find providers through the client's registry. */
    public List<InetSocketAddress> addresses() {
        return addresses;
    }

    /** Returns the timeout of every method without its own, or {@code null} for the client default. */
    public Duration timeout() {
        return timeout;
    }

    /** Returns per-method timeouts by method name. */
    public Map<String, Duration> methodTimeouts() {
        return methodTimeouts;
    }

    /**
     * Returns the per-attempt timeout of idempotent methods without their own, {@code null} for
     * none; {@link Duration#ZERO} also means none. See {@link RpcMethod#attemptTimeoutMillis()}.
     */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    /** Returns per-method per-attempt timeouts by method name; {@link Duration#ZERO} turns one off. */
    public Map<String, Duration> methodAttemptTimeouts() {
        return methodAttemptTimeouts;
    }

    /**
     * Returns the hedging delay of idempotent methods without their own, {@code null} for none;
     * {@link Duration#ZERO} also means none. See {@link RpcMethod#hedgeDelayMillis()}.
     */
    public Duration hedgeDelay() {
        return hedgeDelay;
    }

    /** Returns per-method hedging delays by method name; {@link Duration#ZERO} turns one off. */
    public Map<String, Duration> methodHedgeDelays() {
        return methodHedgeDelays;
    }

    /** Returns how many attempts a hedged call makes at most, the first included. */
    public int hedgeAttempts() {
        return hedgeAttempts;
    }

    /** Returns how many more providers a call may try when the first attempt provably did not run. */
    public int retries() {
        return retries;
    }

    /** Returns the load balancer choosing among addresses. */
    public LoadBalancerFactory loadBalancer() {
        return loadBalancer;
    }

    /** Returns the load balancers of methods that do not use {@link #loadBalancer()}, by method name. */
    public Map<String, LoadBalancerFactory> methodLoadBalancers() {
        return methodLoadBalancers;
    }

    /** Returns the load balancer for a method. */
    public LoadBalancerFactory loadBalancerFor(String methodName) {
        return methodLoadBalancers.getOrDefault(methodName, loadBalancer);
    }

    /** Returns the routing and failure policy of this reference's calls. */
    public ClusterPolicy clusterPolicy() {
        return new ClusterPolicy(cluster, retries, tag, fallbackToUntagged, loadBalancer, methodLoadBalancers,
                outlierDetection);
    }

    /** Returns when providers that keep timing out or failing at the transport are ejected from balancing. */
    public OutlierDetection outlierDetection() {
        return outlierDetection;
    }

    /**
     * Resolves the timeout of a method of the interface, most specific first: this reference's
     * {@link #methodTimeouts() method timeout}, {@link RpcMethod#timeoutMillis()} on the method,
     * this reference's {@link #timeout()}, then {@code clientDefault}.
     *
     * @return the timeout in milliseconds, at least 1
     */
    public long timeoutMillis(Method method, Duration clientDefault) {
        Duration resolved = methodTimeouts.get(method.getName());
        RpcMethod annotation = method.getAnnotation(RpcMethod.class);
        if (resolved == null && annotation != null && annotation.timeoutMillis() > 0) {
            resolved = Duration.ofMillis(annotation.timeoutMillis());
        }
        if (resolved == null) {
            resolved = timeout != null ? timeout : clientDefault;
        }
        return Math.max(1, resolved.toMillis());
    }

    /**
     * Resolves the deadline of a streaming method, which covers the whole stream: this
     * reference's {@link #methodTimeouts() method timeout}, else {@link RpcMethod#timeoutMillis()}
     * on the method, else none. The reference's and the client's default timeouts are meant for
     * single calls and do not cut streams short.
     *
     * @return the deadline in milliseconds, or 0 for none
     */
    public long streamTimeoutMillis(Method method) {
        Duration resolved = methodTimeouts.get(method.getName());
        if (resolved != null) {
            return Math.max(1, resolved.toMillis());
        }
        RpcMethod annotation = method.getAnnotation(RpcMethod.class);
        return annotation != null && annotation.timeoutMillis() > 0 ? annotation.timeoutMillis() : 0;
    }

    /**
     * Resolves the per-attempt timeout of a method of the interface, most specific first: this
     * reference's {@link #methodAttemptTimeouts() method attempt timeout},
     * {@link RpcMethod#attemptTimeoutMillis()} on the method, then this reference's
     * {@link #attemptTimeout()}.
     *
     * @return the per-attempt timeout in milliseconds, 0 for none
     */
    public long attemptTimeoutMillis(Method method) {
        Duration resolved = methodAttemptTimeouts.get(method.getName());
        RpcMethod annotation = method.getAnnotation(RpcMethod.class);
        if (resolved == null && annotation != null && annotation.attemptTimeoutMillis() > 0) {
            resolved = Duration.ofMillis(annotation.attemptTimeoutMillis());
        }
        if (resolved == null) {
            resolved = attemptTimeout;
        }
        return resolved == null || resolved.isZero() ? 0 : Math.max(1, resolved.toMillis());
    }

    /**
     * Resolves the hedging delay of a method of the interface, most specific first: this
     * reference's {@link #methodHedgeDelays() method hedging delay},
     * {@link RpcMethod#hedgeDelayMillis()} on the method, then this reference's
     * {@link #hedgeDelay()}, which applies to idempotent methods with one answer only.
     *
     * @return the hedging delay in milliseconds, 0 for none
     */
    public long hedgeDelayMillis(Method method) {
        Duration resolved = methodHedgeDelays.get(method.getName());
        RpcMethod annotation = method.getAnnotation(RpcMethod.class);
        if (resolved == null && annotation != null && annotation.hedgeDelayMillis() > 0) {
            resolved = Duration.ofMillis(annotation.hedgeDelayMillis());
        }
        if (resolved == null && hedgeable(method)) {
            resolved = hedgeDelay;
        }
        return resolved == null || resolved.isZero() ? 0 : Math.max(1, resolved.toMillis());
    }

    /** Whether a method may be hedged: idempotent, two-way, and neither taking nor returning a stream. */
    static boolean hedgeable(Method method) {
        RpcMethod annotation = method.getAnnotation(RpcMethod.class);
        return annotation != null && annotation.idempotent() && !annotation.oneWay()
                && !io.courier.rpc.invoke.MethodMetadata.streams(method);
    }

    /** Returns what to do when a call fails. */
    public ClusterMode cluster() {
        return cluster;
    }

    /** Returns the provider tag calls ask for (gray release), empty for none. */
    public String tag() {
        return tag;
    }

    /** Whether a call asking for a tag nobody carries goes to untagged providers instead of failing. */
    public boolean fallbackToUntagged() {
        return fallbackToUntagged;
    }

    /**
     * Whether methods with a plain return type return at once (with {@code null}, zero or
     * {@code false}) and leave the call's future in {@link io.courier.rpc.RpcContext#lastFuture()}.
     */
    public boolean async() {
        return async;
    }

    /** Whether creating the proxy fails unless a provider answers. */
    public boolean check() {
        return check;
    }

    /**
     * Returns this reference's TLS settings, or {@code null} to use the client's
     * ({@link io.courier.rpc.config.ClientOptions#tls()}).
     */
    public ClientTls tls() {
        return tls;
    }

    /** Returns the credentials this reference's calls carry, or {@code null} for the client's. */
    public CallCredentials credentials() {
        return credentials;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ReferenceConfig<?> r
                && serviceInterface == r.serviceInterface
                && version.equals(r.version)
                && group.equals(r.group)
                && addresses.equals(r.addresses)
                && Objects.equals(timeout, r.timeout)
                && methodTimeouts.equals(r.methodTimeouts)
                && Objects.equals(attemptTimeout, r.attemptTimeout)
                && methodAttemptTimeouts.equals(r.methodAttemptTimeouts)
                && Objects.equals(hedgeDelay, r.hedgeDelay)
                && methodHedgeDelays.equals(r.methodHedgeDelays)
                && hedgeAttempts == r.hedgeAttempts
                && retries == r.retries
                && loadBalancer.equals(r.loadBalancer)
                && methodLoadBalancers.equals(r.methodLoadBalancers)
                && cluster == r.cluster
                && outlierDetection.equals(r.outlierDetection)
                && tag.equals(r.tag)
                && fallbackToUntagged == r.fallbackToUntagged
                && check == r.check
                && async == r.async
                && tls == r.tls
                && Objects.equals(credentials, r.credentials);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serviceInterface, version, group, addresses, timeout, methodTimeouts, attemptTimeout,
                methodAttemptTimeouts, hedgeDelay, methodHedgeDelays, hedgeAttempts, retries,
                loadBalancer, methodLoadBalancers, cluster, outlierDetection, tag, fallbackToUntagged, check, async, tls, credentials);
    }

    @Override
    public String toString() {
        return "ReferenceConfig[" + serviceKey() + " -> " + addresses + ", timeout=" + timeout
                + (attemptTimeout == null ? "" : ", attemptTimeout=" + attemptTimeout)
                + (hedgeDelay == null ? "" : ", hedgeDelay=" + hedgeDelay + " x" + hedgeAttempts) + ", retries="
                + retries + ", loadBalancer=" + loadBalancer + ", cluster=" + cluster
                + (tag.isEmpty() ? "" : ", tag=" + tag) + (tls == null ? "" : ", tls=" + tls) + "]";
    }

    /** Builds a {@link ReferenceConfig}; not thread-safe. */
    public static final class Builder<T> {

        private final Class<T> serviceInterface;
        private String version = "";
        private String group = "";
        private final List<InetSocketAddress> addresses = new ArrayList<>();
        private Duration timeout;
        private final Map<String, Duration> methodTimeouts = new LinkedHashMap<>();
        private Duration attemptTimeout;
        private final Map<String, Duration> methodAttemptTimeouts = new LinkedHashMap<>();
        private Duration hedgeDelay;
        private final Map<String, Duration> methodHedgeDelays = new LinkedHashMap<>();
        private int hedgeAttempts = 2;
        private int retries = 2;
        private LoadBalancerFactory loadBalancer = LoadBalancers.ROUND_ROBIN;
        private final Map<String, LoadBalancerFactory> methodLoadBalancers = new LinkedHashMap<>();
        private ClusterMode cluster = ClusterMode.FAILOVER;
        private OutlierDetection outlierDetection = OutlierDetection.ofDefaults();
        private String tag = "";
        private boolean fallbackToUntagged = true;
        private boolean check;
        private boolean async;
        private ClientTls tls;
        private CallCredentials credentials;

        private Builder(Class<T> serviceInterface) {
            Require.anInterface("serviceInterface", serviceInterface);
            this.serviceInterface = serviceInterface;
        }

        /** Sets the version (default none). */
        public Builder<T> version(String version) {
            this.version = Objects.requireNonNullElse(version, "").strip();
            return this;
        }

        /** Sets the group (default none). */
        public Builder<T> group(String group) {
            this.group = Objects.requireNonNullElse(group, "").strip();
            return this;
        }

        /** Adds a provider address. */
        public Builder<T> address(InetSocketAddress address) {
            addresses.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /**
         * Adds a provider address written as {@code host:port}, or {@code [ipv6]:port}.
         *
         * @throws io.courier.rpc.InvalidOptionException naming {@code address} when it is not; see {@link HostAndPort#parse}
         */
        public Builder<T> address(String hostAndPort) {
            return address(HostAndPort.parse("address", hostAndPort).toUnresolvedAddress());
        }

        /** Replaces the provider addresses. */
        public Builder<T> addresses(List<InetSocketAddress> addresses) {
            this.addresses.clear();
            addresses.forEach(this::address);
            return this;
        }

        /** Sets the timeout of every method without its own (default: the client's request timeout). */
        public Builder<T> timeout(Duration timeout) {
            this.timeout = timeout == null ? null : Require.positive("timeout", timeout);
            return this;
        }

        /** Sets the timeout of one method, by name (all overloads). */
        public Builder<T> methodTimeout(String methodName, Duration timeout) {
            Objects.requireNonNull(methodName, "methodName");
            methodTimeouts.put(methodName, Require.positive("methodTimeouts." + methodName, timeout));
            return this;
        }

        /**
         * Sets the per-attempt timeout of idempotent methods without their own (default
         * {@code null}: none; {@link Duration#ZERO} also means none). An attempt unanswered within
         * it is cancelled and retried on another provider while the call's timeout leaves time;
         * see {@link RpcMethod#attemptTimeoutMillis()}.
         */
        public Builder<T> attemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout == null ? null : Require.notNegative("attemptTimeout", attemptTimeout);
            return this;
        }

        /** Sets the per-attempt timeout of one method, by name (all overloads); {@link Duration#ZERO} turns it off. */
        public Builder<T> methodAttemptTimeout(String methodName, Duration attemptTimeout) {
            Objects.requireNonNull(methodName, "methodName");
            methodAttemptTimeouts.put(methodName,
                    Require.notNegative("methodAttemptTimeouts." + methodName, attemptTimeout));
            return this;
        }

        /**
         * Sets the hedging delay of idempotent methods without their own (default {@code null}:
         * none; {@link Duration#ZERO} also means none): a call unanswered this long after its last
         * attempt sends another to a provider not tried yet, and the first answer wins. Methods
         * that are not idempotent are never hedged by this setting; see {@link RpcMethod#hedgeDelayMillis()}.
         */
        public Builder<T> hedgeDelay(Duration hedgeDelay) {
            this.hedgeDelay = hedgeDelay == null ? null : Require.notNegative("hedgeDelay", hedgeDelay);
            return this;
        }

        /**
         * Sets the hedging delay of one method, by name (all overloads); {@link Duration#ZERO}
         * turns it off. {@link #build()} refuses a delay for a method that is not idempotent.
         */
        public Builder<T> methodHedgeDelay(String methodName, Duration hedgeDelay) {
            Objects.requireNonNull(methodName, "methodName");
            methodHedgeDelays.put(methodName, Require.notNegative("methodHedgeDelays." + methodName, hedgeDelay));
            return this;
        }

        /** Sets how many attempts a hedged call makes at most, the first included (default 2, at most 5). */
        public Builder<T> hedgeAttempts(int hedgeAttempts) {
            this.hedgeAttempts = Require.between("hedgeAttempts", hedgeAttempts, 2, 5);
            return this;
        }

        /** Sets how many other providers a retry-safe failure may try (default 2). */
        public Builder<T> retries(int retries) {
            this.retries = Require.between("retries", retries, 0, 10);
            return this;
        }

        /** Sets the load balancer (default {@link LoadBalancers#ROUND_ROBIN}). */
        public Builder<T> loadBalancer(LoadBalancerFactory loadBalancer) {
            this.loadBalancer = Objects.requireNonNull(loadBalancer, "loadBalancer");
            return this;
        }

        /** Sets the load balancer of one method (all overloads). */
        public Builder<T> methodLoadBalancer(String methodName, LoadBalancerFactory loadBalancer) {
            Objects.requireNonNull(methodName, "methodName");
            methodLoadBalancers.put(methodName, Objects.requireNonNull(loadBalancer, "loadBalancer"));
            return this;
        }

        /** Sets what to do when a call fails (default {@link ClusterMode#FAILOVER}). */
        public Builder<T> cluster(ClusterMode cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
            return this;
        }

        /**
         * Sets when providers that keep timing out or failing at the transport are ejected from
         * balancing (default {@link OutlierDetection#ofDefaults()}; {@link OutlierDetection#disabled()} never ejects).
         */
        public Builder<T> outlierDetection(OutlierDetection outlierDetection) {
            this.outlierDetection = Objects.requireNonNull(outlierDetection, "outlierDetection");
            return this;
        }

        /** Asks for providers carrying a tag, e.g. {@code canary} (default none). */
        public Builder<T> tag(String tag) {
            this.tag = Objects.requireNonNullElse(tag, "").strip();
            return this;
        }

        /** Sets whether a tag nobody carries falls back to untagged providers (default true). */
        public Builder<T> fallbackToUntagged(boolean fallbackToUntagged) {
            this.fallbackToUntagged = fallbackToUntagged;
            return this;
        }

        /** Sets whether plain methods return at once, leaving their future in {@code RpcContext.lastFuture()} (default false). */
        public Builder<T> async(boolean async) {
            this.async = async;
            return this;
        }

        /** Sets whether creating the proxy fails unless a provider answers (default false). */
        public Builder<T> check(boolean check) {
            this.check = check;
            return this;
        }

        /**
         * Connects to this reference's providers with these TLS settings instead of the client's
         * (default {@code null}: the client's). Connections are pooled per address and settings.
         */
        public Builder<T> tls(ClientTls tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Sets the credentials this reference's calls carry, instead of the client's (default:
         * the client's); {@link CallCredentials#NONE} sends none.
         */
        public Builder<T> credentials(CallCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * Returns the immutable config; fails when a method setting names no method of the
         * interface, or a method that is hedged (here or by {@link RpcMethod#hedgeDelayMillis()})
         * is not idempotent, is one-way or streams.
         */
        public ReferenceConfig<T> build() {
            ServiceKey.of(serviceInterface, version, group);
            refuseUnsafeHedging();
            java.util.Set<String> names = new java.util.HashSet<>(methodTimeouts.keySet());
            names.addAll(methodLoadBalancers.keySet());
            names.addAll(methodAttemptTimeouts.keySet());
            names.addAll(methodHedgeDelays.keySet());
            for (String name : names) {
                boolean found = false;
                for (var m : serviceInterface.getMethods()) {
                    found |= m.getName().equals(name);
                }
                if (!found) {
                    throw new InvalidOptionException("method", name, "a method of " + serviceInterface.getName());
                }
            }
            return new ReferenceConfig<>(this);
        }

        /**
         * Refuses hedging declared for a method that may not run twice or has no single answer:
         * sending it a second time could apply it twice.
         */
        private void refuseUnsafeHedging() {
            for (Method m : serviceInterface.getMethods()) {
                RpcMethod annotation = m.getAnnotation(RpcMethod.class);
                Duration own = methodHedgeDelays.get(m.getName());
                String option;
                Object value;
                if (own != null && !own.isZero()) {
                    option = "methodHedgeDelays." + m.getName();
                    value = own;
                } else if (own == null && annotation != null && annotation.hedgeDelayMillis() != 0) {
                    option = "@RpcMethod(hedgeDelayMillis) of " + serviceInterface.getSimpleName() + "#" + m.getName();
                    value = annotation.hedgeDelayMillis();
                    if (annotation.hedgeDelayMillis() < 0) {
                        throw new InvalidOptionException(option, value, ">= 0");
                    }
                } else {
                    continue;
                }
                if (!hedgeable(m)) {
                    throw new InvalidOptionException(option, value, "on a method that "
                            + (annotation == null || !annotation.idempotent() ? "is not idempotent"
                                    : annotation.oneWay() ? "is one-way" : "streams"),
                            "hedging only on @RpcMethod(idempotent = true) methods with one answer");
                }
            }
        }
    }
}
