package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.interceptor.LimitRules;
import io.courier.rpc.interceptor.RateLimit;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns {@link LimitSettings} into the {@link LimitRules} of each limiter, by resolving their keys
 * against the interfaces the application exports and references, and checks that they name
 * services and methods that exist.
 *
 * <p>Thread-safe (stateless). An interface's fully qualified entry wins over its simple-name
 * entry, as in {@code courier.rpc.services}. A fully qualified key applies whether or not its
 * interface is known; a simple one only to known interfaces of that simple name.
 */
final class LimitResolver {

    private LimitResolver() {
    }

    /**
     * Checks that limits name known services and methods.
     *
     * @param exported the interfaces the server exports, or {@code null} while there is no server
     * @param referenced the interfaces the client references so far
     * @return the consumer limit properties that name no referenced interface yet
     * @throws InvalidConfigurationPropertyValueException when a server limit names no exported
     *     service or method, or a consumer limit names no method of its interface
     */
    static Set<String> check(LimitSettings settings, KnownInterfaces exported, KnownInterfaces referenced,
            ClassLoader classLoader) {
        if (exported != null) {
            for (LimitSettings.Entry<?> e : settings.serverEntries()) {
                List<String> names = exported.resolve(e.key());
                if (names.isEmpty()) {
                    throw new InvalidConfigurationPropertyValueException(e.property(), e.key(), e.property() + ": "
                            + e.key() + " (expected: a service this application exports: " + exported.describeKeys() + ")");
                }
                names.forEach(name -> checkMethod(e, name, exported.methods(name)));
            }
        }
        Set<String> unmatched = new TreeSet<>();
        for (LimitSettings.Entry<RateLimit> e : settings.consumerRates()) {
            if (LimitSettings.isQualified(e.key())) {
                Class<?> type = ClassUtils.resolveClassName(e.key(), classLoader);
                checkMethod(e, e.key(), KnownInterfaces.of(List.of(type)).methods(e.key()));
                continue;
            }
            List<String> names = referenced.resolve(e.key());
            names.forEach(name -> checkMethod(e, name, referenced.methods(name)));
            if (names.isEmpty()) {
                unmatched.add(LimitSettings.property(LimitSettings.CONSUMER_RATE_LIMITS, e.key()));
            }
        }
        return unmatched;
    }

    /**
     * Returns the rules of each limiter, and what they are, by fully qualified interface name or
     * {@code interface#method}.
     *
     * @param exported the interfaces the server exports, none while there is no server
     * @param referenced the interfaces the client references so far
     */
    static Resolved resolve(LimitSettings settings, KnownInterfaces exported, KnownInterfaces referenced) {
        Map<String, RateLimit> serverRates = new TreeMap<>();
        Map<String, Integer> serverConcurrency = new TreeMap<>();
        Map<String, RateLimit> consumerRates = new TreeMap<>();
        return new Resolved(
                rules(settings.serverRates(), exported.names(), serverRates),
                rules(settings.serverConcurrency(), exported.names(), serverConcurrency),
                rules(settings.consumerRates(), referenced.names(), consumerRates),
                new CourierRpcLimits.Limits(Collections.unmodifiableMap(serverRates),
                        Collections.unmodifiableMap(serverConcurrency), Collections.unmodifiableMap(consumerRates)));
    }

    private static void checkMethod(LimitSettings.Entry<?> e, String interfaceName, Set<String> methods) {
        if (e.method() != null && !methods.contains(e.method())) {
            throw new InvalidConfigurationPropertyValueException(e.property(), e.method(), e.property() + ": "
                    + e.method() + " (expected: a method of " + interfaceName + ": " + new TreeSet<>(methods) + ")");
        }
    }

    /**
     * Builds the rules of the known interfaces (and of fully qualified keys, known or not),
     * recording each limit in {@code described}.
     */
    private static <L> LimitRules<L> rules(List<LimitSettings.Entry<L>> entries, Set<String> known,
            Map<String, L> described) {
        LimitRules.Builder<L> b = LimitRules.builder();
        Set<String> qualifiedKeys = new LinkedHashSet<>();
        entries.stream().map(LimitSettings.Entry::key).filter(LimitSettings::isQualified).forEach(qualifiedKeys::add);
        Set<String> names = new LinkedHashSet<>(known);
        names.addAll(qualifiedKeys);
        for (String name : names) {
            String key = qualifiedKeys.contains(name) ? name : KnownInterfaces.simpleName(name);
            for (LimitSettings.Entry<L> e : entries) {
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
     * The rules of each limiter, and a description of them.
     *
     * @param serverRates rules of the server's rate limiter
     * @param serverConcurrency rules of the server's concurrency limiter
     * @param consumerRates rules of the client's rate limiter
     * @param limits every limit in force, by interface or {@code interface#method}
     */
    record Resolved(LimitRules<RateLimit> serverRates, LimitRules<Integer> serverConcurrency,
            LimitRules<RateLimit> consumerRates, CourierRpcLimits.Limits limits) {
    }
}
