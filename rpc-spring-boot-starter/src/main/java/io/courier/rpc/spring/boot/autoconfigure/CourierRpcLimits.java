package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.interceptor.AdmissionControl;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.interceptor.ConcurrencyLimiter;
import io.courier.rpc.interceptor.LimitRules;
import io.courier.rpc.interceptor.RateLimit;
import io.courier.rpc.interceptor.RateLimiter;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static io.courier.rpc.spring.boot.autoconfigure.PropertyMapping.PREFIX;
import static io.courier.rpc.spring.boot.autoconfigure.PropertyMapping.invalid;
import static io.courier.rpc.spring.boot.autoconfigure.PropertyMapping.set;

/**
 * The rate and concurrency limits of {@code courier.rpc.server.rate-limits},
 * {@code courier.rpc.server.concurrency-limits} and {@code courier.rpc.consumer.rate-limits},
 * applied to the server's admission controls and the client's interceptor chain, and re-read
 * from the {@link Environment} by {@link #refresh()}.
 *
 * <pre>{@code
 * environment.getPropertySources().addFirst(new MapPropertySource("limits",
 *         Map.of("courier.rpc.server.rate-limits.UserService.rate", "50")));
 * courierRpcLimits.refresh();   // in force for the next call
 * }</pre>
 *
 * <p>Thread-safe. The limiters are created once and keep their buckets; {@link #refresh()} only
 * swaps their rules, so a limit that did not change keeps its tokens. With Spring Cloud, an
 * {@code EnvironmentChangeEvent} (after {@code /actuator/refresh} or a config server push)
 * refreshes the limits, and so does a {@code POST} to the {@code courier} Actuator endpoint.
 *
 * <p>Keys name a service interface as {@code courier.rpc.services} does: by simple name, or by
 * fully qualified name in brackets, which wins. A simple name is matched against the interfaces
 * the server exports and the client references, so a server limit naming no exported service or
 * method fails startup (or the refresh), and a client limit naming no referenced service is
 * reported in the log once the application has started.
 */
public final class CourierRpcLimits implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(CourierRpcLimits.class);

    static final String SERVER_RATE_LIMITS = PREFIX + "server.rate-limits";
    static final String SERVER_CONCURRENCY_LIMITS = PREFIX + "server.concurrency-limits";
    static final String CONSUMER_RATE_LIMITS = PREFIX + "consumer.rate-limits";

    private static final Set<String> RATE_SETTINGS = Set.of("rate", "burst");
    private static final Set<String> CONCURRENCY_SETTINGS = Set.of("max");

    private final Environment environment;
    private final ClassLoader classLoader;
    private final RateLimiter serverRateLimiter = new RateLimiter(LimitRules.none());
    private final ConcurrencyLimiter serverConcurrencyLimiter = new ConcurrencyLimiter(LimitRules.none());
    private final RateLimiter consumerRateLimiter = new RateLimiter(LimitRules.none());
    private final ClientInterceptor consumerInterceptor = new ConsumerRateLimit();

    /** Method names of each exported interface, by fully qualified name; null while no server is built. */
    private Map<String, Set<String>> exported;
    /** Method names of each referenced interface, by fully qualified name. */
    private final Map<String, Set<String>> referenced = new LinkedHashMap<>();
    private Config config;
    private volatile Limits limits = new Limits(Map.of(), Map.of(), Map.of());

    /**
     * Reads the limits from the environment.
     *
     * @throws InvalidConfigurationPropertyValueException naming the first bad property
     */
    CourierRpcLimits(Environment environment, ClassLoader classLoader) {
        this.environment = environment;
        this.classLoader = classLoader;
        Config loaded = load();
        check(loaded, false);
        apply(loaded);
    }

    /**
     * Re-reads the limits from the environment and puts them in force for the next calls; calls
     * in progress are unaffected. When a value is invalid, nothing changes.
     *
     * @return the limits now in force
     * @throws InvalidConfigurationPropertyValueException naming the first bad property; the
     *     previous limits stay in force
     * @throws org.springframework.boot.context.properties.bind.BindException when a value has the wrong type
     */
    public synchronized Limits refresh() {
        Config loaded = load();
        check(loaded, false);
        apply(loaded);
        log.info("Courier RPC limits refreshed: {}", limits);
        return limits;
    }

    /** Returns the limits in force, by fully qualified interface name, or {@code interface#method}. */
    public Limits limits() {
        return limits;
    }

    /** Returns the server's rate limiter, an admission control refusing calls with {@code RATE_LIMITED}. */
    AdmissionControl serverRateLimiter() {
        return serverRateLimiter;
    }

    /** Returns the server's concurrency limiter, an admission control refusing calls with {@code SERVER_BUSY}. */
    AdmissionControl serverConcurrencyLimiter() {
        return serverConcurrencyLimiter;
    }

    /** Returns the client interceptor refusing calls above the consumer rate limits, unsent. */
    ClientInterceptor consumerRateLimiter() {
        return consumerInterceptor;
    }

    /**
     * Resolves the server limits against the services a server exports.
     *
     * @throws InvalidConfigurationPropertyValueException when a server limit names no exported service or method
     */
    synchronized void exported(Collection<ServiceConfig<?>> services) {
        Map<String, Set<String>> names = new LinkedHashMap<>();
        for (ServiceConfig<?> service : services) {
            names.put(service.serviceInterface().getName(), methodNames(service.serviceInterface()));
        }
        exported = names;
        check(config, false);
        apply(config);
    }

    /** Checks the client limits against the references created while the application started. */
    @Override
    public synchronized void afterSingletonsInstantiated() {
        check(config, true);
    }

    /** Learns a referenced interface when a proxy is created; its simple name may key a client limit. */
    private synchronized void referenced(MethodMetadata method) {
        Set<String> methods = referenced.get(method.interfaceName());
        if (methods == null) {
            methods = new LinkedHashSet<>();
            referenced.put(method.interfaceName(), methods);
            methods.add(method.name());
            apply(config);
        } else {
            methods.add(method.name());
        }
    }

    // ---- reading ----------------------------------------------------------------------------

    private Config load() {
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        checkNames(sources, SERVER_RATE_LIMITS, RATE_SETTINGS, "rate or burst");
        checkNames(sources, SERVER_CONCURRENCY_LIMITS, CONCURRENCY_SETTINGS, "max");
        checkNames(sources, CONSUMER_RATE_LIMITS, RATE_SETTINGS, "rate or burst");
        Binder binder = Binder.get(environment);
        return new Config(
                rates(SERVER_RATE_LIMITS, binder.bind(SERVER_RATE_LIMITS,
                        Bindable.mapOf(String.class, CourierRpcProperties.ServiceRateLimit.class)).orElseGet(Map::of)),
                concurrency(binder.bind(SERVER_CONCURRENCY_LIMITS,
                        Bindable.mapOf(String.class, CourierRpcProperties.ServiceConcurrencyLimit.class)).orElseGet(Map::of)),
                rates(CONSUMER_RATE_LIMITS, binder.bind(CONSUMER_RATE_LIMITS,
                        Bindable.mapOf(String.class, CourierRpcProperties.ServiceRateLimit.class)).orElseGet(Map::of)));
    }

    private List<Entry<RateLimit>> rates(String prefix, Map<String, CourierRpcProperties.ServiceRateLimit> services) {
        List<Entry<RateLimit>> entries = new ArrayList<>();
        services.forEach((key, service) -> {
            String property = property(prefix, key);
            PropertyMapping.checkServiceKey(property, key, classLoader);
            RateLimit limit = rate(property, service);
            if (limit != null) {
                entries.add(new Entry<>(property, key, null, limit));
            }
            service.getMethods().forEach((method, settings) -> {
                String methodProperty = property + ".methods." + method;
                RateLimit methodLimit = rate(methodProperty, settings);
                if (methodLimit != null) {
                    entries.add(new Entry<>(methodProperty, key, method, methodLimit));
                }
            });
        });
        return List.copyOf(entries);
    }

    private static RateLimit rate(String property, CourierRpcProperties.MethodRateLimit settings) {
        Double rate = settings.getRate();
        Integer burst = settings.getBurst();
        if (rate == null) {
            if (burst != null) {
                throw invalid(property + ".burst", burst, "a rate beside it, e.g. " + property + ".rate=100");
            }
            return null;
        }
        RateLimit[] limit = new RateLimit[1];
        set(property + ".rate", rate, () -> limit[0] = RateLimit.of(rate));
        if (burst != null) {
            set(property + ".burst", burst, () -> limit[0] = new RateLimit(rate, burst));
        }
        return limit[0];
    }

    private List<Entry<Integer>> concurrency(Map<String, CourierRpcProperties.ServiceConcurrencyLimit> services) {
        List<Entry<Integer>> entries = new ArrayList<>();
        services.forEach((key, service) -> {
            String property = property(SERVER_CONCURRENCY_LIMITS, key);
            PropertyMapping.checkServiceKey(property, key, classLoader);
            if (service.getMax() != null) {
                entries.add(new Entry<>(property, key, null, max(property, service.getMax())));
            }
            service.getMethods().forEach((method, settings) -> {
                String methodProperty = property + ".methods." + method;
                if (settings.getMax() != null) {
                    entries.add(new Entry<>(methodProperty, key, method, max(methodProperty, settings.getMax())));
                }
            });
        });
        return List.copyOf(entries);
    }

    private static int max(String property, int max) {
        if (max < 1) {
            throw invalid(property + ".max", max, ">= 1");
        }
        return max;
    }

    /** Fails on a property under {@code prefix} that no limit setting binds, instead of ignoring it. */
    private static void checkNames(Iterable<ConfigurationPropertySource> sources, String prefix, Set<String> settings,
            String expected) {
        ConfigurationPropertyName base = ConfigurationPropertyName.of(prefix);
        int b = base.getNumberOfElements();
        for (ConfigurationPropertySource source : sources) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)
                    || source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
                // Environment variables cannot express these keys faithfully; the binder alone judges them.
                continue;
            }
            iterable.stream().filter(base::isAncestorOf).forEach(name -> {
                int n = name.getNumberOfElements();
                boolean known = n == b + 2 && settings.contains(name.getElement(b + 1, Form.UNIFORM))
                        || n == b + 4 && name.getElement(b + 1, Form.UNIFORM).equals("methods")
                                && settings.contains(name.getElement(b + 3, Form.UNIFORM));
                if (!known) {
                    var property = source.getConfigurationProperty(name);
                    String original = ServiceOverrides.original(name);
                    throw new InvalidConfigurationPropertyValueException(original,
                            property == null ? null : property.getValue(), original + ": unknown setting (expected: "
                            + prefix + ".<SimpleName>." + expected + ", or " + prefix + ".<SimpleName>.methods.<method>."
                            + expected + "; a fully qualified name in brackets: " + prefix
                            + "[com.acme.UserService], in YAML quoted: \"[com.acme.UserService]\":)");
                }
            });
        }
    }

    private static String property(String prefix, String key) {
        return prefix + (key.indexOf('.') >= 0 ? "[" + key + "]" : "." + key);
    }

    // ---- checking against what is exported and referenced -------------------------------------

    /**
     * Checks that limits name known services and methods.
     *
     * @param started whether every reference created at startup exists, so client limits can be judged
     */
    private void check(Config c, boolean started) {
        if (exported != null) {
            for (Entry<?> e : c.serverEntries()) {
                List<String> names = resolve(e.key(), exported.keySet());
                if (names.isEmpty()) {
                    throw new InvalidConfigurationPropertyValueException(e.property(), e.key(), e.property() + ": "
                            + e.key() + " (expected: a service this application exports: " + exportedKeys() + ")");
                }
                names.forEach(name -> checkMethod(e, name, exported.get(name)));
            }
        }
        Set<String> unmatched = new TreeSet<>();
        for (Entry<RateLimit> e : c.consumerRates()) {
            if (e.key().indexOf('.') >= 0) {
                checkMethod(e, e.key(), methodNames(load(e.key())));
                continue;
            }
            List<String> names = resolve(e.key(), referenced.keySet());
            names.forEach(name -> checkMethod(e, name, referenced.get(name)));
            if (names.isEmpty()) {
                unmatched.add(property(CONSUMER_RATE_LIMITS, e.key()));
            }
        }
        if (started && !unmatched.isEmpty()) {
            log.warn("{} name no service this application references yet; they apply to a reference of that simple "
                    + "name created later", unmatched);
        }
    }

    private static void checkMethod(Entry<?> e, String interfaceName, Set<String> methods) {
        if (e.method() != null && !methods.contains(e.method())) {
            throw new InvalidConfigurationPropertyValueException(e.property(), e.method(), e.property() + ": "
                    + e.method() + " (expected: a method of " + interfaceName + ": " + new TreeSet<>(methods) + ")");
        }
    }

    private String exportedKeys() {
        return exported.keySet().stream().map(name -> simpleName(name) + " or [" + name + "]")
                .collect(Collectors.joining(", "));
    }

    private Class<?> load(String interfaceName) {
        return ClassUtils.resolveClassName(interfaceName, classLoader);
    }

    private static Set<String> methodNames(Class<?> type) {
        return Arrays.stream(type.getMethods()).map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Returns the known interfaces a key names: itself when fully qualified, else those of that simple name. */
    private static List<String> resolve(String key, Collection<String> known) {
        if (key.indexOf('.') >= 0) {
            return known.contains(key) ? List.of(key) : List.of();
        }
        return known.stream().filter(name -> simpleName(name).equals(key)).toList();
    }

    /** Returns the simple name of a binary interface name, as {@link Class#getSimpleName()} does. */
    static String simpleName(String interfaceName) {
        String name = interfaceName.substring(interfaceName.lastIndexOf('.') + 1);
        return name.substring(name.lastIndexOf('$') + 1);
    }

    // ---- applying ---------------------------------------------------------------------------

    private void apply(Config c) {
        Set<String> exportedNames = exported == null ? Set.of() : exported.keySet();
        Map<String, RateLimit> serverRates = new TreeMap<>();
        Map<String, Integer> serverConcurrency = new TreeMap<>();
        Map<String, RateLimit> consumerRates = new TreeMap<>();
        serverRateLimiter.update(rules(c.serverRates(), exportedNames, serverRates));
        serverConcurrencyLimiter.update(rules(c.serverConcurrency(), exportedNames, serverConcurrency));
        consumerRateLimiter.update(rules(c.consumerRates(), referenced.keySet(), consumerRates));
        config = c;
        limits = new Limits(Collections.unmodifiableMap(serverRates), Collections.unmodifiableMap(serverConcurrency),
                Collections.unmodifiableMap(consumerRates));
    }

    /**
     * Builds the rules of the known interfaces (and of fully qualified keys, known or not): an
     * interface's fully qualified entry wins over its simple-name entry, as in {@code courier.rpc.services}.
     */
    private static <L> LimitRules<L> rules(List<Entry<L>> entries, Set<String> known, Map<String, L> described) {
        LimitRules.Builder<L> b = LimitRules.builder();
        Set<String> qualifiedKeys = new LinkedHashSet<>();
        entries.stream().map(Entry::key).filter(key -> key.indexOf('.') >= 0).forEach(qualifiedKeys::add);
        Set<String> names = new LinkedHashSet<>(known);
        names.addAll(qualifiedKeys);
        for (String name : names) {
            String key = qualifiedKeys.contains(name) ? name : simpleName(name);
            for (Entry<L> e : entries) {
                if (!e.key().equals(key)) {
                    continue;
                }
                if (e.method() == null) {
                    b.service(name, e.limit());
                    described.put(name, e.limit());
                } else {
                    b.method(name, e.method(), e.limit());
                    described.put(name + "#" + e.method(), e.limit());
                }
            }
        }
        return b.build();
    }

    /**
     * The limits in force, keyed by fully qualified interface name or {@code interface#method}.
     *
     * @param serverRateLimits limits of calls the server accepts
     * @param serverConcurrencyLimits limits of calls the server runs at once
     * @param consumerRateLimits limits of calls the client sends
     */
    public record Limits(Map<String, RateLimit> serverRateLimits, Map<String, Integer> serverConcurrencyLimits,
            Map<String, RateLimit> consumerRateLimits) {
    }

    /** One configured limit: of a service when {@code method} is null, else of one of its methods. */
    private record Entry<L>(String property, String key, String method, L limit) {
    }

    private record Config(List<Entry<RateLimit>> serverRates, List<Entry<Integer>> serverConcurrency,
            List<Entry<RateLimit>> consumerRates) {

        List<Entry<?>> serverEntries() {
            List<Entry<?>> all = new ArrayList<>(serverRates);
            all.addAll(serverConcurrency);
            return all;
        }
    }

    /**
     * The client's rate limiter, which also learns the referenced interfaces: their simple names
     * may key limits. Applies to every method, so that limits added later take effect.
     */
    private final class ConsumerRateLimit implements ClientInterceptor {

        @Override
        public boolean appliesTo(MethodMetadata method) {
            referenced(method);
            return true;
        }

        @Override
        public CompletableFuture<RpcResponse> intercept(Chain chain) {
            return consumerRateLimiter.intercept(chain);
        }

        @Override
        public String toString() {
            return "CourierRpcLimits.ConsumerRateLimit[" + limits.consumerRateLimits() + "]";
        }
    }
}
