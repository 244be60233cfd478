package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.cluster.ClusterMode;
import io.courier.rpc.cluster.LoadBalancers;
import io.courier.rpc.cluster.OutlierDetection;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.registry.HostAndPort;
import io.courier.rpc.registry.Registries;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionException;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps {@code courier.rpc.*} properties onto the core option builders, turning the builders'
 * {@link InvalidOptionException}s into {@link InvalidConfigurationPropertyValueException}s that
 * name the property, so that startup fails with a readable message. Only the exception's fields
 * are used, never its message.
 *
 * <p>Thread-safe (stateless).
 */
final class PropertyMapping {

    static final String PREFIX = "courier.rpc.";

    private static final String DIRECT = "direct://";

    private PropertyMapping() {
    }

    /** Returns the server options the properties describe. */
    static ServerOptions serverOptions(CourierRpcProperties.Server server) {
        ServerOptions.Builder b = ServerOptions.builder();
        String p = PREFIX + "server.";
        set(p + "host", server.getHost(), () -> b.host(server.getHost()));
        set(p + "port", server.getPort(), () -> b.port(server.getPort()));
        set(p + "io-threads", server.getIoThreads(), () -> b.ioThreads(server.getIoThreads()));
        set(p + "transport", server.getTransport(), () -> b.transport(server.getTransport()));
        set(p + "worker-threads", server.getWorkerThreads(), () -> b.workerThreads(server.getWorkerThreads()));
        set(p + "queue-size", server.getQueueSize(), () -> b.queueSize(server.getQueueSize()));
        set(p + "max-frame-size", server.getMaxFrameSize(),
                () -> b.maxFrameSize(bytes(p + "max-frame-size", server.getMaxFrameSize())));
        set(p + "idle-timeout", server.getIdleTimeout(), () -> b.idleTimeout(server.getIdleTimeout()));
        set(p + "shutdown-grace", server.getShutdownGrace(), () -> b.shutdownGrace(server.getShutdownGrace()));
        CourierRpcProperties.ServerHttp http = server.getHttp();
        b.httpEnabled(http.isEnabled()).httpConsoleEnabled(http.isConsoleEnabled());
        set(p + "http.console-path", http.getConsolePath(), () -> b.httpConsolePath(http.getConsolePath()));
        set(p + "http.max-request-size", http.getMaxRequestSize(),
                () -> b.httpMaxRequestSize(bytes(p + "http.max-request-size", http.getMaxRequestSize())));
        return b.build();
    }

    /** Returns the client options the properties describe. */
    static ClientOptions clientOptions(CourierRpcProperties.Consumer consumer) {
        ClientOptions.Builder b = ClientOptions.builder();
        String p = PREFIX + "consumer.";
        set(p + "timeout", consumer.getTimeout(), () -> b.requestTimeout(consumer.getTimeout()));
        set(p + "connect-timeout", consumer.getConnectTimeout(), () -> b.connectTimeout(consumer.getConnectTimeout()));
        set(p + "connections", consumer.getConnections(), () -> b.connectionsPerAddress(consumer.getConnections()));
        set(p + "io-threads", consumer.getIoThreads(), () -> b.ioThreads(consumer.getIoThreads()));
        set(p + "transport", consumer.getTransport(), () -> b.transport(consumer.getTransport()));
        set(p + "max-frame-size", consumer.getMaxFrameSize(),
                () -> b.maxFrameSize(bytes(p + "max-frame-size", consumer.getMaxFrameSize())));
        set(p + "max-pending-calls", consumer.getMaxPendingCalls(),
                () -> b.maxPendingCalls(consumer.getMaxPendingCalls()));
        set(p + "heartbeat-interval", consumer.getHeartbeatInterval(),
                () -> b.heartbeatInterval(consumer.getHeartbeatInterval()));
        // The minimum alone first, so that each bound's error names its own property.
        set(p + "reconnect-delay-min", consumer.getReconnectDelayMin(),
                () -> b.reconnectDelay(consumer.getReconnectDelayMin(), consumer.getReconnectDelayMin()));
        set(p + "reconnect-delay-max", consumer.getReconnectDelayMax(),
                () -> b.reconnectDelay(consumer.getReconnectDelayMin(), consumer.getReconnectDelayMax()));
        b.allowInsecureCredentials(consumer.isAllowInsecureCredentials());
        // Checked here rather than per reference so that a bad default fails even without references.
        set(p + "retries", consumer.getRetries(),
                () -> ReferenceConfig.builder(Runnable.class).retries(consumer.getRetries()));
        if (consumer.getAttemptTimeout() != null) {
            set(p + "attempt-timeout", consumer.getAttemptTimeout(),
                    () -> ReferenceConfig.builder(Runnable.class).attemptTimeout(consumer.getAttemptTimeout()));
        }
        if (consumer.getHedgeDelay() != null) {
            set(p + "hedge-delay", consumer.getHedgeDelay(),
                    () -> ReferenceConfig.builder(Runnable.class).hedgeDelay(consumer.getHedgeDelay()));
        }
        set(p + "hedge-attempts", consumer.getHedgeAttempts(),
                () -> ReferenceConfig.builder(Runnable.class).hedgeAttempts(consumer.getHedgeAttempts()));
        outlierDetection(consumer.getOutlierDetection());
        // A bad load balancer or cluster mode never gets here: they are enums, refused by the binder.
        return b.build();
    }

    /** Returns the outlier detection every reference uses, each value checked under its property's name. */
    static OutlierDetection outlierDetection(CourierRpcProperties.OutlierDetection properties) {
        OutlierDetection.Builder b = OutlierDetection.builder().enabled(properties.isEnabled());
        String p = PREFIX + "consumer.outlier-detection.";
        set(p + "consecutive-failures", properties.getConsecutiveFailures(),
                () -> b.consecutiveFailures(properties.getConsecutiveFailures()));
        set(p + "failure-rate-percent", properties.getFailureRatePercent(),
                () -> b.failureRatePercent(properties.getFailureRatePercent()));
        set(p + "failure-rate-window", properties.getFailureRateWindow(),
                () -> b.failureRateWindow(properties.getFailureRateWindow()));
        set(p + "failure-rate-minimum-calls", properties.getFailureRateMinimumCalls(),
                () -> b.failureRateMinimumCalls(properties.getFailureRateMinimumCalls()));
        set(p + "base-ejection-time", properties.getBaseEjectionTime(),
                () -> b.baseEjectionTime(properties.getBaseEjectionTime()));
        set(p + "max-ejection-time", properties.getMaxEjectionTime(),
                () -> b.maxEjectionTime(properties.getMaxEjectionTime()));
        set(p + "max-ejection-percent", properties.getMaxEjectionPercent(),
                () -> b.maxEjectionPercent(properties.getMaxEjectionPercent()));
        OutlierDetection[] built = new OutlierDetection[1];
        // build() compares the two ejection times; the maximum is the one to fix.
        set(p + "max-ejection-time", properties.getMaxEjectionTime(), () -> built[0] = b.build());
        return built[0];
    }

    /**
     * Reads a cluster mode with Spring's relaxed enum names (failover, FailFast, fail-safe, ...),
     * as the binder does for the properties; for {@code @RpcReference(cluster)}, which is a string.
     *
     * @throws InvalidOptionException naming {@code cluster} for any other name
     */
    static ClusterMode cluster(String name) {
        return named("cluster", name, ClusterMode.class, "failover, failfast or failsafe");
    }

    /**
     * Reads a built-in load balancer with Spring's relaxed enum names (round-robin, least_active, ...),
     * as the binder does for the properties; for {@code @RpcReference(loadBalancer)}, which is a string.
     *
     * @throws InvalidOptionException naming {@code loadBalancer} for a name no balancer has
     */
    static LoadBalancers loadBalancer(String name) {
        return named("loadBalancer", name, LoadBalancers.class, "one of " + String.join(", ",
                Arrays.stream(LoadBalancers.values()).map(LoadBalancers::propertyName).toList()));
    }

    private static <E extends Enum<E>> E named(String option, String name, Class<E> type, String expected) {
        if (name != null && !name.isBlank()) {
            try {
                E value = ApplicationConversionService.getSharedInstance().convert(name.strip(), type);
                if (value != null) {
                    return value;
                }
            } catch (ConversionException e) {
                // Reported below with the option and the accepted values.
            }
        }
        throw new InvalidOptionException(option, name, expected);
    }

    /** Returns the serializer this application's consumers write with. */
    static Serializer serializer(CourierRpcProperties.Serialization serialization) {
        String type = serialization.getType() == null ? "" : serialization.getType().strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "kryo" -> kryo(serialization);
            case "json" -> new JsonSerializer();
            default -> throw invalid(PREFIX + "serialization.type", serialization.getType(), "kryo or json");
        };
    }

    /** Returns a Kryo serializer that also accepts the configured classes and packages. */
    static KryoSerializer kryo(CourierRpcProperties.Serialization serialization) {
        KryoSerializer.Builder b = KryoSerializer.builder();
        List<String> classes = serialization.getAllowedClasses();
        List<String> packages = serialization.getAllowedPackages();
        set(PREFIX + "serialization.allowed-classes", classes, () -> b.allowClassNames(classes.toArray(String[]::new)));
        set(PREFIX + "serialization.allowed-packages", packages, () -> b.allowPackages(packages.toArray(String[]::new)));
        return b.build();
    }

    /**
     * Returns the registry the {@code courier.rpc.registry.*} properties describe: the address,
     * with the ZooKeeper credentials and TLS settings applied to its {@code zookeeper://} parts.
     */
    static Registry registry(CourierRpcProperties.Registry registry, ClassLoader classLoader) {
        return registry(RegistryAddresses.resolve(registry), classLoader);
    }

    /**
     * Returns the registry at an address such as {@code direct://127.0.0.1:7070}, chosen by scheme.
     * Errors show the address with its passwords masked.
     */
    static Registry registry(String address, ClassLoader classLoader) {
        String property = PREFIX + "registry.address";
        String shown = RegistryAddresses.redact(address);
        try {
            return Registries.create(address, classLoader);
        } catch (InvalidOptionException e) {
            throw invalid(property, shown, e);
        } catch (IllegalArgumentException e) {
            // Not a checked option, e.g. a URI that does not parse: its message is all there is.
            throw new InvalidConfigurationPropertyValueException(property, shown,
                    property + ": " + shown + " (" + RegistryAddresses.redact(e.getMessage()) + ")");
        }
    }

    /**
     * Parses a provider address list: {@code direct://host:port[,host:port...]}, the scheme being
     * optional. Returns an empty list for {@code null} or blank.
     */
    static List<InetSocketAddress> addresses(String property, String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String list = value.strip();
        int scheme = list.indexOf("://");
        if (scheme >= 0) {
            if (!list.regionMatches(true, 0, DIRECT, 0, DIRECT.length())) {
                throw invalid(property, value, "direct://host:port[,host:port...]; the "
                        + list.substring(0, scheme) + " registry is not supported yet");
            }
            list = list.substring(DIRECT.length());
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String part : list.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                addresses.add(HostAndPort.parse(property, part).toUnresolvedAddress());
            } catch (InvalidOptionException e) {
                throw invalid(property, value, "direct://host:port[,host:port...]; '" + part.strip()
                        + "' is not host:port with a port from 1 to 65535");
            }
        }
        if (addresses.isEmpty()) {
            throw invalid(property, value, "direct://host:port[,host:port...]");
        }
        return List.copyOf(addresses);
    }

    /**
     * Runs a builder call; an {@link IllegalArgumentException} from it becomes an error naming
     * the property, e.g. {@code courier.rpc.server.port: 70000 (expected: 0..65535)}.
     */
    static void set(String property, Object value, Runnable setter) {
        try {
            setter.run();
        } catch (InvalidOptionException e) {
            throw invalid(property, value, e);
        } catch (NullPointerException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, property + ": null (expected: a value)");
        } catch (IllegalArgumentException e) {
            // Not a checked option: its message is all there is to say.
            throw new InvalidConfigurationPropertyValueException(property, value, property + ": " + e.getMessage());
        }
    }

    /**
     * Returns an error for a property whose value a core check refused: the check's expectation
     * (and problem, if it names one) under the property's name and with the property's value.
     */
    static InvalidConfigurationPropertyValueException invalid(String property, Object value, InvalidOptionException e) {
        return new InvalidConfigurationPropertyValueException(property, value,
                property + ": " + value + " " + expectation(e));
    }

    /**
     * Returns {@code (expected: ...)} from a refused option, or {@code (problem; expected: ...)}
     * when the check says what is wrong.
     */
    static String expectation(InvalidOptionException e) {
        return "(" + (e.problem().isEmpty() ? "" : e.problem() + "; ") + "expected: " + e.expected() + ")";
    }

    /** Returns an error for a property whose value is not what was expected. */
    static InvalidConfigurationPropertyValueException invalid(String property, Object value, String expected) {
        return new InvalidConfigurationPropertyValueException(property, value,
                property + ": " + value + " (expected: " + expected + ")");
    }

    /**
     * Checks the key of a per-service setting: a simple name is matched against interfaces later,
     * a fully qualified one must name an interface on the classpath.
     */
    static void checkServiceKey(String property, String key, ClassLoader classLoader) {
        if (key.indexOf('.') < 0) {
            return;
        }
        Class<?> type;
        try {
            type = ClassUtils.forName(key, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw invalid(property, key, "the fully qualified name of a service interface on the classpath");
        }
        if (!type.isInterface()) {
            throw invalid(property, key, "an interface");
        }
    }

    private static int bytes(String property, DataSize size) {
        long bytes = size.toBytes();
        if (bytes > Integer.MAX_VALUE) {
            throw invalid(property, size, "at most " + Integer.MAX_VALUE + " bytes");
        }
        return (int) bytes;
    }
}
