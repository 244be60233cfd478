package io.courier.rpc.serialization.kryo;

import io.courier.rpc.InvalidOptionException;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * Finds the concrete classes that may travel through the methods of a service interface.
 *
 * <p>Not thread-safe: create one per scan. Walks parameter types, return types (a
 * {@code CompletableFuture<T>} or {@code CompletionStage<T>} counts as {@code T}), declared
 * exceptions, generic arguments (including those the interface passes to generic
 * superinterfaces), wildcard and type variable bounds, array components, and for
 * classes outside the JDK their non-static, non-transient fields (superclasses included) and the
 * permitted subclasses of sealed types. Interfaces, abstract classes and future types are walked
 * but not reported, since no body names them. JDK classes are reported but their fields are
 * not walked. Runs once per interface at startup, so it favours clarity over speed.
 */
final class ServiceTypeScanner {

    private final Set<Class<?>> found = new LinkedHashSet<>();
    private final Set<Object> visited = new HashSet<>();
    private final Deque<Type> pending = new ArrayDeque<>();

    /** Returns every concrete class reachable from the interface's method signatures. */
    static Set<Class<?>> scan(Class<?> serviceInterface) {
        if (!serviceInterface.isInterface()) {
            throw new InvalidOptionException("serviceInterface", serviceInterface, "an interface");
        }
        ServiceTypeScanner scanner = new ServiceTypeScanner();
        scanner.addSuperinterfaceArguments(serviceInterface, new HashSet<>());
        for (Method method : serviceInterface.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            scanner.pending.add(method.getGenericReturnType());
            scanner.pending.addAll(List.of(method.getGenericParameterTypes()));
            scanner.pending.addAll(List.of(method.getGenericExceptionTypes()));
        }
        scanner.drain();
        return scanner.found;
    }

    /** Methods inherited from {@code CrudService<User>} declare {@code T}: the {@code User} comes from here. */
    private void addSuperinterfaceArguments(Class<?> type, Set<Class<?>> seen) {
        if (!seen.add(type)) {
            return;
        }
        for (Type superinterface : type.getGenericInterfaces()) {
            if (superinterface instanceof ParameterizedType p) {
                pending.addAll(List.of(p.getActualTypeArguments()));
                addSuperinterfaceArguments((Class<?>) p.getRawType(), seen);
            } else if (superinterface instanceof Class<?> c) {
                addSuperinterfaceArguments(c, seen);
            }
        }
    }

    private void drain() {
        while (!pending.isEmpty()) {
            visit(pending.poll());
        }
    }

    private void visit(Type type) {
        if (type instanceof Class<?> c) {
            visitClass(c);
        } else if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (!isFuture(raw)) {
                pending.add(raw);
            }
            pending.addAll(List.of(p.getActualTypeArguments()));
            if (p.getOwnerType() != null) {
                pending.add(p.getOwnerType());
            }
        } else if (type instanceof GenericArrayType a) {
            pending.add(a.getGenericComponentType());
        } else if (type instanceof WildcardType w) {
            pending.addAll(List.of(w.getUpperBounds()));
            pending.addAll(List.of(w.getLowerBounds()));
        } else if (type instanceof TypeVariable<?> v) {
            if (visited.add(v)) {
                pending.addAll(List.of(v.getBounds()));
            }
        }
    }

    private void visitClass(Class<?> type) {
        if (type.isPrimitive() || !visited.add(type)) {
            return;
        }
        if (type.isArray()) {
            pending.add(type.getComponentType());
            return;
        }
        boolean concrete = !type.isInterface() && !Modifier.isAbstract(type.getModifiers()) && !isFuture(type);
        if (concrete) {
            found.add(type);
        }
        if (TypeAllowlist.isJdkClass(type) || type.isEnum()) {
            return;
        }
        if (type.isSealed()) {
            pending.addAll(List.of(type.getPermittedSubclasses()));
        }
        for (Class<?> c = type; c != null && c != Object.class && !TypeAllowlist.isJdkClass(c); c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()) {
                    pending.add(field.getGenericType());
                }
            }
            if (c.getGenericSuperclass() instanceof ParameterizedType superType) {
                pending.addAll(List.of(superType.getActualTypeArguments()));
            }
        }
    }

    private static boolean isFuture(Class<?> type) {
        return Future.class.isAssignableFrom(type) || CompletionStage.class.isAssignableFrom(type);
    }
}
