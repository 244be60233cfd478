package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcException;
import io.courier.rpc.cluster.OutlierDetection;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.spring.RpcReference;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.env.PropertyResolver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.courier.rpc.spring.boot.autoconfigure.PropertyMapping.set;

/**
 * Turns an {@link RpcReference} injection point into a client proxy: merges the annotation with
 * {@code courier.rpc.*} properties into a {@link ReferenceConfig} and asks the {@link RpcClient}
 * for its proxy, which the client creates once per distinct config and shares.
 *
 * <p>Thread-safe. Remembers which injection points use which reference, for the Actuator endpoint.
 */
public final class RpcReferenceFactory {

    /** Name of the factory's bean. */
    public static final String BEAN_NAME = "courierRpcReferenceFactory";

    /** An {@link RpcReference} without attributes: the settings of {@link io.courier.rpc.spring.ImportRpcReferences} beans. */
    private static final RpcReference DEFAULTS = MergedAnnotation.of(RpcReference.class).synthesize();

    private final RpcClient client;
    private final CourierRpcProperties properties;
    private final ServiceOverrides overrides;
    private final PropertyResolver placeholders;
    private final boolean hasRegistry;
    private final CourierRpcLimits limits;
    private final SslBundleTls sslBundles;
    private final OutlierDetection outlierDetection;
    private final Map<ReferenceConfig<?>, Set<String>> injectionPoints = new LinkedHashMap<>();

    /**
     * Creates a factory.
     *
     * @param hasRegistry whether the client finds the providers of references without an address of their own
     * @param limits told of each referenced interface, whose simple name may key a consumer limit
     * @param sslBundles TLS settings of services with their own SSL bundle
     */
    RpcReferenceFactory(RpcClient client, CourierRpcProperties properties, ServiceOverrides overrides,
            PropertyResolver placeholders, boolean hasRegistry, CourierRpcLimits limits, SslBundleTls sslBundles) {
        this.client = client;
        this.properties = properties;
        this.overrides = overrides;
        this.placeholders = placeholders;
        this.hasRegistry = hasRegistry;
        this.limits = limits;
        this.sslBundles = sslBundles;
        this.outlierDetection = PropertyMapping.outlierDetection(properties.getConsumer().getOutlierDetection());
    }

    /** Returns the client every proxy is created by. */
    public RpcClient client() {
        return client;
    }

    /** Returns the references created so far and the injection points that use each. */
    public synchronized Map<ReferenceConfig<?>, Set<String>> injectionPoints() {
        Map<ReferenceConfig<?>, Set<String>> copy = new LinkedHashMap<>();
        injectionPoints.forEach((config, points) -> copy.put(config, Collections.unmodifiableSet(new LinkedHashSet<>(points))));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Returns the proxy for an injection point.
     *
     * @param type the declared type of the field or parameter
     * @param annotation the annotation found on it
     * @param injectionPoint a description such as {@code field 'users' of com.acme.Greeter}, for messages
     * @throws CourierRpcStartupException when the reference has no address, or checks and no provider answers
     */
    public Object reference(Class<?> type, RpcReference annotation, String injectionPoint) {
        ReferenceConfig<?> config = referenceConfig(type, annotation, injectionPoint);
        Object proxy;
        try {
            proxy = client.reference(config);
        } catch (RpcException e) {
            if (e.code() == RpcErrorCode.CONNECT_FAILED || e.code() == RpcErrorCode.NO_PROVIDER) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                String registry = properties.getRegistry().getAddress();
                String where = !config.addresses().isEmpty() ? format(config.addresses())
                        : registry != null ? registry : "the registry";
                throw new CourierRpcStartupException("No provider of " + config.serviceKey() + " answered at " + where
                        + ", needed by @RpcReference " + injectionPoint + " (" + cause.getMessage() + ")",
                        "Start the provider first, or fix courier.rpc.registry.address (or the reference's address). "
                        + "To start anyway and connect in the background, set courier.rpc.consumer.check=false.", e);
            }
            throw e;
        } catch (IllegalArgumentException e) {
            throw new CourierRpcStartupException("Cannot create a proxy of " + type.getName() + " for @RpcReference "
                    + injectionPoint + ": " + e.getMessage(), "Fix the declaration of " + type.getName() + ".", e);
        }
        // Before the proxy is handed out, so that its first call meets the limits keyed by simple name.
        limits.referenced(config.serviceInterface());
        synchronized (this) {
            injectionPoints.computeIfAbsent(config, c -> new LinkedHashSet<>()).add(injectionPoint);
        }
        return proxy;
    }

    /**
     * Returns the proxy of an interface with the settings of an {@link RpcReference} without
     * attributes; what each bean of {@link io.courier.rpc.spring.ImportRpcReferences} is.
     *
     * @param injectionPoint a description such as {@code @ImportRpcReferences on com.acme.App}, for messages
     * @throws CourierRpcStartupException when the reference has no address, or checks and no provider answers
     */
    public <T> T reference(Class<T> type, String injectionPoint) {
        return type.cast(reference(type, DEFAULTS, injectionPoint));
    }

    /**
     * Returns the name of the bean {@link io.courier.rpc.spring.ImportRpcReferences} declares for an
     * interface: its fully qualified name.
     */
    public static String beanName(Class<?> type) {
        return type.getName();
    }

    /** Whether an annotation has no attribute set, so that it asks for the same proxy as an imported bean. */
    static boolean isDefault(RpcReference annotation) {
        return DEFAULTS.equals(annotation);
    }

    /** Returns the config an injection point resolves to; see {@link RpcReference} for precedence. */
    ReferenceConfig<?> referenceConfig(Class<?> type, RpcReference annotation, String injectionPoint) {
        if (!type.isInterface()) {
            throw new CourierRpcStartupException("@RpcReference " + injectionPoint + " has type " + type.getName()
                    + ", which is not an interface", "Declare the field or parameter with the service interface type.",
                    null);
        }
        CourierRpcProperties.Service service = overrides.of(type);
        String prefix = overrides.prefix(type);
        CourierRpcProperties.Consumer consumer = properties.getConsumer();
        ReferenceConfig.Builder<?> b = ReferenceConfig.builder(type);
        String where = "@RpcReference " + injectionPoint;

        String version = service.getVersion() != null ? service.getVersion() : resolve(annotation.version());
        String group = service.getGroup() != null ? service.getGroup() : resolve(annotation.group());
        b.version(version).group(group);
        try {
            ServiceKey.of(type, version, group);
        } catch (IllegalArgumentException e) {
            throw new CourierRpcStartupException(where + " (" + type.getName() + "): " + e.getMessage(),
                    "Fix the version or group in " + prefix + " or in the annotation.", e);
        }

        List<InetSocketAddress> addresses = addresses(service, prefix, annotation, where);
        if (addresses.isEmpty() && !hasRegistry) {
            throw new CourierRpcStartupException(where + " (" + type.getName() + ") has no provider address",
                    "Set courier.rpc.registry.address (for example direct://127.0.0.1:7070) in application.yml, "
                    + "or " + prefix + ".address, or @RpcReference(address = \"host:port\").", null);
        }
        b.addresses(addresses);

        if (service.getTimeout() != null) {
            set(prefix + ".timeout", service.getTimeout(), () -> b.timeout(service.getTimeout()));
        } else if (!annotation.timeout().isEmpty()) {
            String timeout = resolve(annotation.timeout());
            annotated(where, "timeout", timeout, () -> b.timeout(DurationStyle.detectAndParse(timeout)));
        }
        if (service.getAttemptTimeout() != null) {
            set(prefix + ".attempt-timeout", service.getAttemptTimeout(), () -> b.attemptTimeout(service.getAttemptTimeout()));
        } else if (!annotation.attemptTimeout().isEmpty()) {
            String attemptTimeout = resolve(annotation.attemptTimeout());
            annotated(where, "attemptTimeout", attemptTimeout,
                    () -> b.attemptTimeout(DurationStyle.detectAndParse(attemptTimeout)));
        } else if (consumer.getAttemptTimeout() != null) {
            set(PropertyMapping.PREFIX + "consumer.attempt-timeout", consumer.getAttemptTimeout(),
                    () -> b.attemptTimeout(consumer.getAttemptTimeout()));
        }
        if (service.getHedgeDelay() != null) {
            set(prefix + ".hedge-delay", service.getHedgeDelay(), () -> b.hedgeDelay(service.getHedgeDelay()));
        } else if (consumer.getHedgeDelay() != null) {
            set(PropertyMapping.PREFIX + "consumer.hedge-delay", consumer.getHedgeDelay(),
                    () -> b.hedgeDelay(consumer.getHedgeDelay()));
        }
        set(PropertyMapping.PREFIX + "consumer.hedge-attempts", consumer.getHedgeAttempts(),
                () -> b.hedgeAttempts(consumer.getHedgeAttempts()));
        service.getMethods().forEach((method, settings) -> {
            Duration timeout = settings.getTimeout();
            if (timeout != null) {
                set(prefix + ".methods." + method + ".timeout", timeout, () -> b.methodTimeout(method, timeout));
            }
            Duration attemptTimeout = settings.getAttemptTimeout();
            if (attemptTimeout != null) {
                set(prefix + ".methods." + method + ".attempt-timeout", attemptTimeout,
                        () -> b.methodAttemptTimeout(method, attemptTimeout));
            }
            Duration hedgeDelay = settings.getHedgeDelay();
            if (hedgeDelay != null) {
                set(prefix + ".methods." + method + ".hedge-delay", hedgeDelay,
                        () -> b.methodHedgeDelay(method, hedgeDelay));
            }
            if (settings.getLoadBalancer() != null) {
                b.methodLoadBalancer(method, settings.getLoadBalancer());
            }
        });

        if (service.getRetries() != null) {
            set(prefix + ".retries", service.getRetries(), () -> b.retries(service.getRetries()));
        } else if (annotation.retries() >= 0) {
            annotated(where, "retries", annotation.retries(), () -> b.retries(annotation.retries()));
        } else {
            set(PropertyMapping.PREFIX + "consumer.retries", consumer.getRetries(), () -> b.retries(consumer.getRetries()));
        }

        // The properties are enums the binder has already checked (an empty value leaves the default);
        // only the annotation's strings are read here.
        if (service.getLoadBalancer() != null) {
            b.loadBalancer(service.getLoadBalancer());
        } else if (!annotation.loadBalancer().isEmpty()) {
            String loadBalancer = resolve(annotation.loadBalancer());
            annotated(where, "loadBalancer", loadBalancer,
                    () -> b.loadBalancer(PropertyMapping.loadBalancer(loadBalancer)));
        } else if (consumer.getLoadBalancer() != null) {
            b.loadBalancer(consumer.getLoadBalancer());
        }
        if (service.getCluster() != null) {
            b.cluster(service.getCluster());
        } else if (!annotation.cluster().isEmpty()) {
            String cluster = resolve(annotation.cluster());
            annotated(where, "cluster", cluster, () -> b.cluster(PropertyMapping.cluster(cluster)));
        } else if (consumer.getCluster() != null) {
            b.cluster(consumer.getCluster());
        }
        if (service.getTag() != null) {
            b.tag(service.getTag());
        } else if (!annotation.tag().isEmpty()) {
            b.tag(resolve(annotation.tag()));
        } else {
            b.tag(consumer.getTag());
        }
        b.fallbackToUntagged(service.getFallbackToUntagged() != null ? service.getFallbackToUntagged()
                : consumer.isFallbackToUntagged());
        b.outlierDetection(outlierDetection);
        b.async(annotation.async());
        b.check(service.getCheck() != null ? service.getCheck() : consumer.isCheck());
        CourierRpcProperties.Ssl ssl = service.getSsl();
        if (ssl.getBundle() != null && !ssl.getBundle().isBlank()) {
            b.tls(sslBundles.client(ssl.getBundle(), ssl.isVerifyHostname(), prefix + ".ssl.bundle"));
        }

        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            // A method override naming no method of the interface.
            throw new CourierRpcStartupException(where + " (" + type.getName() + "): " + e.getMessage(),
                    "Fix " + prefix + " in application.yml or the annotation's attributes.", e);
        }
    }

    private List<InetSocketAddress> addresses(CourierRpcProperties.Service service, String prefix, RpcReference annotation,
            String where) {
        if (service.getAddress() != null) {
            return PropertyMapping.addresses(prefix + ".address", service.getAddress());
        }
        if (!annotation.address().isEmpty()) {
            String address = resolve(annotation.address());
            try {
                return PropertyMapping.addresses("address", address);
            } catch (RuntimeException e) {
                throw new CourierRpcStartupException(where + ": address = \"" + address
                        + "\" (expected: host:port[,host:port...])", "Fix the annotation's address attribute.", e);
            }
        }
        // Empty: the client subscribes to its registry for the providers.
        return List.of();
    }

    private String resolve(String value) {
        return placeholders.resolveRequiredPlaceholders(value);
    }

    private static void annotated(String where, String attribute, Object value, Runnable setter) {
        try {
            setter.run();
        } catch (InvalidOptionException e) {
            throw new CourierRpcStartupException(where + ": " + attribute + " = " + value + " "
                    + PropertyMapping.expectation(e), "Fix the annotation's " + attribute + " attribute.", e);
        } catch (IllegalArgumentException e) {
            // Not a checked option, e.g. a duration that does not parse: its message is all there is.
            throw new CourierRpcStartupException(where + ": " + attribute + " = " + value + " (" + e.getMessage() + ")",
                    "Fix the annotation's " + attribute + " attribute.", e);
        }
    }

    static String format(List<InetSocketAddress> addresses) {
        StringBuilder sb = new StringBuilder();
        for (InetSocketAddress a : addresses) {
            sb.append(sb.isEmpty() ? "" : ",").append(a.getHostString()).append(':').append(a.getPort());
        }
        return sb.toString();
    }
}
