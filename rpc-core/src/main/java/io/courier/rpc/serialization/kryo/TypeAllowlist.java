package io.courier.rpc.serialization.kryo;

import io.courier.rpc.internal.exceptions.ExceptionShapes;
import io.courier.rpc.InvalidOptionException;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.SerializationException;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The class names a Kryo body may name; checked before any named class is loaded.
 *
 * <p>Thread-safe. Holds a fixed set of safe JDK and Courier types, the classes and package
 * patterns configured on the builder, and classes added at runtime by
 * {@link KryoSerializer#allowTypesOf(Class)}; it only ever grows. Array names are allowed when
 * their component type is. A pattern {@code com.acme.dto.*} allows the classes of that package
 * (nested classes included) and {@code com.acme.**} also those of its subpackages.
 */
final class TypeAllowlist {

    private static final Pattern PACKAGE_PATTERN =
            Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
                    + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*\\.\\*\\*?");
    private static final Pattern CLASS_NAME =
            Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
                    + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

    private static final Set<String> DEFAULT_PACKAGES = Set.of("java.time");
    private static final Set<String> DEFAULT_CLASS_NAMES = defaultClassNames();

    private final Set<String> classNames = ConcurrentHashMap.newKeySet();
    private final Set<String> packages;
    private final List<String> packagePrefixes;

    /**
     * @param classNames exact binary class names, already validated
     * @param packagePatterns patterns such as {@code com.acme.*} or {@code com.acme.**}, already validated
     */
    TypeAllowlist(Collection<String> classNames, Collection<String> packagePatterns) {
        this.classNames.addAll(DEFAULT_CLASS_NAMES);
        this.classNames.addAll(classNames);
        Set<String> exactPackages = new HashSet<>(DEFAULT_PACKAGES);
        List<String> prefixes = new ArrayList<>();
        for (String pattern : packagePatterns) {
            if (pattern.endsWith(".**")) {
                prefixes.add(pattern.substring(0, pattern.length() - 3));
            } else {
                exactPackages.add(pattern.substring(0, pattern.length() - 2));
            }
        }
        this.packages = Set.copyOf(exactPackages);
        this.packagePrefixes = List.copyOf(prefixes);
    }

    /**
     * Packages of service interfaces: an exception class there (or in a subpackage) may be read
     * even when no method declares it, as long as it turns out to be a {@code Throwable}.
     */
    private final Set<String> exceptionPackages = ConcurrentHashMap.newKeySet();

    /** Allows undeclared exceptions from {@code packageName} and its subpackages. */
    void allowExceptionsUnder(String packageName) {
        if (!packageName.isEmpty()) {
            exceptionPackages.add(packageName);
        }
    }

    /** Whether a class name read where an exception is expected may be loaded (and then checked to be one). */
    boolean isAllowedException(String className) {
        if (isAllowed(className)) {
            return true;
        }
        for (String pkg : exceptionPackages) {
            if (className.startsWith(pkg) && className.length() > pkg.length() && className.charAt(pkg.length()) == '.') {
                return true;
            }
        }
        return false;
    }

    /** Whether a class name read from a body may be loaded. */
    boolean isAllowed(String className) {
        if (classNames.contains(className)) {
            return true;
        }
        if (className.startsWith("[")) {
            return isAllowedArray(className);
        }
        int lastDot = className.lastIndexOf('.');
        if (lastDot <= 0) {
            return false;
        }
        String pkg = className.substring(0, lastDot);
        if (packages.contains(pkg)) {
            return true;
        }
        for (String prefix : packagePrefixes) {
            if (pkg.startsWith(prefix) && (pkg.length() == prefix.length() || pkg.charAt(prefix.length()) == '.')) {
                return true;
            }
        }
        return false;
    }

    /** Allows one class from now on; arrays allow their component type. */
    void allow(Class<?> type) {
        Class<?> component = type;
        while (component.isArray()) {
            component = component.getComponentType();
        }
        if (!component.isPrimitive()) {
            classNames.add(component.getName());
        }
    }

    /** Checks a pattern given to {@code allowPackages}; returns it unchanged. */
    static String checkPackagePattern(String pattern) {
        if (pattern == null || !PACKAGE_PATTERN.matcher(pattern).matches()) {
            throw new InvalidOptionException("allowPackages", pattern, "a package name followed by .* for that package or "
                    + ".** for it and its subpackages, for example com.acme.dto.* or com.acme.**");
        }
        return pattern;
    }

    /** Checks a class name given to {@code allowClassNames}; returns it unchanged. */
    static String checkClassName(String className) {
        if (className == null || !CLASS_NAME.matcher(className).matches()) {
            throw new InvalidOptionException("allowClassNames", className,
                    "a binary class name such as com.acme.dto.User or com.acme.Outer$Inner");
        }
        return className;
    }

    /** Whether a class belongs to the JDK, whose internals are never walked or opened reflectively. */
    static boolean isJdkClass(Class<?> type) {
        return type.isPrimitive() || ExceptionShapes.isJdkClass(type);
    }

    private boolean isAllowedArray(String className) {
        int dims = 0;
        while (dims < className.length() && className.charAt(dims) == '[') {
            dims++;
        }
        String element = className.substring(dims);
        if (element.length() == 1) {
            return "ZBCSIJFD".indexOf(element.charAt(0)) >= 0;
        }
        return element.length() > 2
                && element.charAt(0) == 'L'
                && element.charAt(element.length() - 1) == ';'
                && isAllowed(element.substring(1, element.length() - 1));
    }

    private static Set<String> defaultClassNames() {
        Set<String> names = new HashSet<>();
        for (Class<?> type : List.of(
                Object.class, Boolean.class, Byte.class, Character.class, Short.class, Integer.class, Long.class,
                Float.class, Double.class, String.class, BigDecimal.class, BigInteger.class, UUID.class, URI.class,
                Date.class, Optional.class, OptionalInt.class, OptionalLong.class, OptionalDouble.class,
                ArrayList.class, LinkedList.class, ArrayDeque.class, HashMap.class, LinkedHashMap.class, TreeMap.class,
                HashSet.class, LinkedHashSet.class, TreeSet.class, EnumMap.class, EnumSet.class,
                Exception.class, RuntimeException.class, IllegalArgumentException.class,
                IllegalStateException.class, UnsupportedOperationException.class, NullPointerException.class,
                ArithmeticException.class, IndexOutOfBoundsException.class, ConcurrentModificationException.class,
                IOException.class, NoSuchElementException.class, TimeoutException.class,
                java.io.UncheckedIOException.class, java.io.FileNotFoundException.class, java.io.EOFException.class,
                NumberFormatException.class, ClassCastException.class, ArrayIndexOutOfBoundsException.class,
                java.time.DateTimeException.class,
                RpcException.class, SerializationException.class, RpcErrorCode.class)) {
            names.add(type.getName());
        }
        for (Object sample : jdkCollectionSamples()) {
            names.add(sample.getClass().getName());
        }
        return Set.copyOf(names);
    }

    /** Instances of the JDK's private collection classes, whose names are not public API. */
    private static List<Object> jdkCollectionSamples() {
        List<Integer> three = List.of(1, 2, 3);
        return List.of(
                List.of(), List.of(1), three, three.subList(0, 1), Set.of(), Set.of(1), Set.of(1, 2, 3),
                Map.of(), Map.of(1, 1), Map.of(1, 1, 2, 2),
                Collections.emptyList(), Collections.emptySet(), Collections.emptyMap(),
                Collections.singletonList(1), Collections.singleton(1), Collections.singletonMap(1, 1),
                Collections.unmodifiableCollection(new ArrayList<>()), Collections.unmodifiableList(new ArrayList<>()),
                Collections.unmodifiableList(new LinkedList<>()), Collections.unmodifiableSet(new HashSet<>()),
                Collections.unmodifiableSortedSet(new TreeSet<>()), Collections.unmodifiableNavigableSet(new TreeSet<>()),
                Collections.unmodifiableMap(new HashMap<>()), Collections.unmodifiableSortedMap(new TreeMap<>()),
                Collections.unmodifiableNavigableMap(new TreeMap<>()),
                Arrays.asList(1), new ArrayList<>(three).subList(0, 1));
    }
}
