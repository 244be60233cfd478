package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.interceptor.RateLimit;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.courier.rpc.spring.boot.autoconfigure.PropertyMapping.PREFIX;
import static io.courier.rpc.spring.boot.autoconfigure.PropertyMapping.invalid;
import static io.courier.rpc.spring.boot.autoconfigure.PropertyMapping.set;

/**
 * The limits written under {@code courier.rpc.server.rate-limits},
 * {@code courier.rpc.server.concurrency-limits} and {@code courier.rpc.consumer.rate-limits},
 * read afresh from the {@link Environment} and checked on their own: each value is valid, no
 * setting is misspelt, and a fully qualified key names an interface. Whether a key names a
 * service this application exports or references is {@link LimitResolver}'s question.
 *
 * <p>Immutable and thread-safe.
 *
 * @param serverRates limits of calls the server accepts
 * @param serverConcurrency limits of calls the server runs at once
 * @param consumerRates limits of calls the client sends
 */
record LimitSettings(List<Entry<RateLimit>> serverRates, List<Entry<Integer>> serverConcurrency,
        List<Entry<RateLimit>> consumerRates) {

    static final String SERVER_RATE_LIMITS = PREFIX + "server.rate-limits";
    static final String SERVER_CONCURRENCY_LIMITS = PREFIX + "server.concurrency-limits";
    static final String CONSUMER_RATE_LIMITS = PREFIX + "consumer.rate-limits";

    private static final Set<String> RATE_SETTINGS = Set.of("rate", "burst");
    private static final Set<String> CONCURRENCY_SETTINGS = Set.of("max");

    LimitSettings {
        serverRates = List.copyOf(serverRates);
        serverConcurrency = List.copyOf(serverConcurrency);
        consumerRates = List.copyOf(consumerRates);
    }

    /**
     * Reads the limits the environment holds now.
     *
     * @throws InvalidConfigurationPropertyValueException naming the first bad property
     * @throws org.springframework.boot.context.properties.bind.BindException when a value has the wrong type
     */
    static LimitSettings load(Environment environment, ClassLoader classLoader) {
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        checkNames(sources, SERVER_RATE_LIMITS, RATE_SETTINGS, "rate or burst");
        checkNames(sources, SERVER_CONCURRENCY_LIMITS, CONCURRENCY_SETTINGS, "max");
        checkNames(sources, CONSUMER_RATE_LIMITS, RATE_SETTINGS, "rate or burst");
        Binder binder = Binder.get(environment);
        return new LimitSettings(
                rates(SERVER_RATE_LIMITS, binder.bind(SERVER_RATE_LIMITS,
                        Bindable.mapOf(String.class, CourierRpcProperties.ServiceRateLimit.class)).orElseGet(Map::of),
                        classLoader),
                concurrency(binder.bind(SERVER_CONCURRENCY_LIMITS,
                        Bindable.mapOf(String.class, CourierRpcProperties.ServiceConcurrencyLimit.class)).orElseGet(Map::of),
                        classLoader),
                rates(CONSUMER_RATE_LIMITS, binder.bind(CONSUMER_RATE_LIMITS,
                        Bindable.mapOf(String.class, CourierRpcProperties.ServiceRateLimit.class)).orElseGet(Map::of),
                        classLoader));
    }

    /** Returns the server's rate and concurrency entries together. */
    List<Entry<?>> serverEntries() {
        List<Entry<?>> all = new ArrayList<>(serverRates);
        all.addAll(serverConcurrency);
        return all;
    }

    /** Returns the property a key is written under: {@code prefix.SimpleName} or {@code prefix[com.acme.Name]}. */
    static String property(String prefix, String key) {
        return prefix + (isQualified(key) ? "[" + key + "]" : "." + key);
    }

    /** Whether a key is a fully qualified interface name rather than a simple one. */
    static boolean isQualified(String key) {
        return key.indexOf('.') >= 0;
    }

    private static List<Entry<RateLimit>> rates(String prefix, Map<String, CourierRpcProperties.ServiceRateLimit> services,
            ClassLoader classLoader) {
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
        return entries;
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

    private static List<Entry<Integer>> concurrency(Map<String, CourierRpcProperties.ServiceConcurrencyLimit> services,
            ClassLoader classLoader) {
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
        return entries;
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

    /**
     * One configured limit: of a service when {@code method} is null, else of one of its methods.
     *
     * @param property the property it was read from, for errors
     * @param key the service key as written: a simple or a fully qualified interface name
     * @param method the method name, or {@code null} for the whole service
     * @param limit the limit
     */
    record Entry<L>(String property, String key, String method, L limit) {
    }
}
