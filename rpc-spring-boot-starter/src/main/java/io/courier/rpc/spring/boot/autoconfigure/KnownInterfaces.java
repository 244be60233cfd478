package io.courier.rpc.spring.boot.autoconfigure;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Service interfaces this application exports or references, with their method names, against
 * which limit keys are resolved: a fully qualified key names itself, a simple one every known
 * interface of that simple name.
 *
 * <p>Immutable and thread-safe; {@link #with(Class)} returns a copy.
 */
final class KnownInterfaces {

    private static final KnownInterfaces NONE = new KnownInterfaces(Map.of());

    /** Method names by fully qualified interface name, in the order the interfaces became known. */
    private final Map<String, Set<String>> methods;

    private KnownInterfaces(Map<String, Set<String>> methods) {
        this.methods = methods;
    }

    /** Returns no interfaces. */
    static KnownInterfaces none() {
        return NONE;
    }

    /** Returns these interfaces. */
    static KnownInterfaces of(Collection<? extends Class<?>> interfaces) {
        KnownInterfaces known = NONE;
        for (Class<?> type : interfaces) {
            known = known.with(type);
        }
        return known;
    }

    /** Returns these interfaces and one more; this one when it is already known. */
    KnownInterfaces with(Class<?> type) {
        if (methods.containsKey(type.getName())) {
            return this;
        }
        Map<String, Set<String>> copy = new LinkedHashMap<>(methods);
        Set<String> names = Arrays.stream(type.getMethods()).map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        copy.put(type.getName(), Collections.unmodifiableSet(names));
        return new KnownInterfaces(Collections.unmodifiableMap(copy));
    }

    /** Whether an interface is known. */
    boolean contains(String interfaceName) {
        return methods.containsKey(interfaceName);
    }

    /** Returns the fully qualified names of the known interfaces. */
    Set<String> names() {
        return methods.keySet();
    }

    /** Returns the method names of a known interface, sorted. */
    Set<String> methods(String interfaceName) {
        return methods.getOrDefault(interfaceName, Set.of());
    }

    /** Returns the known interfaces a key names: itself when fully qualified, else those of that simple name. */
    List<String> resolve(String key) {
        if (LimitSettings.isQualified(key)) {
            return methods.containsKey(key) ? List.of(key) : List.of();
        }
        return methods.keySet().stream().filter(name -> simpleName(name).equals(key)).toList();
    }

    /** Returns the ways a key may name each interface, e.g. {@code EchoService or [com.acme.EchoService]}. */
    String describeKeys() {
        return methods.keySet().stream().map(name -> simpleName(name) + " or [" + name + "]")
                .collect(Collectors.joining(", "));
    }

    /** Returns the simple name of a binary interface name, as {@link Class#getSimpleName()} does. */
    static String simpleName(String interfaceName) {
        String name = interfaceName.substring(interfaceName.lastIndexOf('.') + 1);
        return name.substring(name.lastIndexOf('$') + 1);
    }

    @Override
    public String toString() {
        return "KnownInterfaces" + methods.keySet();
    }
}
