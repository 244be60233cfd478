package io.courier.rpc.spring.boot.autoconfigure;

import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import io.courier.rpc.RpcException;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.core.ResolvableType;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * What Courier does by reflection whatever the application's services, for ahead-of-time
 * processing and native images; the hints of the application's own service interfaces come from
 * {@link CourierRpcBeanFactoryInitializationAotProcessor}, which calls {@link #registerServiceHints}.
 *
 * <p>Thread-safe (stateless). Kryo creates its built-in serializers for JDK types reflectively
 * (by their {@code (Kryo, Class)} or no-arg constructors), and falls back to Objenesis, which
 * allocates without a constructor, for classes it cannot construct; exceptions are re-created
 * from their constructors; registries are found with {@link java.util.ServiceLoader}.
 */
final class CourierRpcRuntimeHints implements RuntimeHintsRegistrar {

    private static final MemberCategory[] VALUE_MEMBERS = {MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
            MemberCategory.INVOKE_DECLARED_METHODS, MemberCategory.ACCESS_DECLARED_FIELDS, MemberCategory.UNSAFE_ALLOCATED};

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        for (Class<?> holder : new Class<?>[] {DefaultSerializers.class, DefaultArraySerializers.class}) {
            for (Class<?> serializer : holder.getDeclaredClasses()) {
                hints.reflection().registerType(serializer, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
                        MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
            }
        }
        for (Class<?> exception : new Class<?>[] {RpcException.class, RuntimeException.class, Exception.class,
                IllegalArgumentException.class, IllegalStateException.class, UnsupportedOperationException.class,
                NullPointerException.class}) {
            hints.reflection().registerType(exception, VALUE_MEMBERS);
        }
        hints.resources().registerPattern("META-INF/services/io.courier.rpc.registry.RegistryFactory");
    }

    /**
     * Registers what calling or exporting these interfaces needs: their methods, for the proxy and
     * the server's invokers, and every application type their methods take, return or declare to
     * throw, for Kryo and JSON.
     */
    static void registerServiceHints(RuntimeHints hints, Collection<Class<?>> interfaces) {
        ReflectionHints reflection = hints.reflection();
        BindingReflectionHintsRegistrar binding = new BindingReflectionHintsRegistrar();
        Set<Class<?>> seen = new HashSet<>();
        for (Class<?> type : interfaces) {
            reflection.registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
            for (Method method : type.getMethods()) {
                if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())) {
                    continue;
                }
                registerValueType(reflection, method.getGenericReturnType(), seen);
                binding.registerReflectionHints(reflection, method.getGenericReturnType());
                for (Type parameter : method.getGenericParameterTypes()) {
                    registerValueType(reflection, parameter, seen);
                    binding.registerReflectionHints(reflection, parameter);
                }
                for (Class<?> exception : method.getExceptionTypes()) {
                    registerValueType(reflection, exception, seen);
                }
            }
        }
    }

    /**
     * Whether a type is the JDK's or a reactive library's, which Kryo has serializers for or
     * which only wraps the values (e.g. {@code CompletableFuture<User>}, {@code Flux<User>}).
     */
    private static boolean isContainer(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("reactor.")
                || name.startsWith("org.reactivestreams.") || name.startsWith("kotlin.");
    }

    /** Registers a type Kryo writes field by field, its generics, fields and superclasses; not JDK types. */
    private static void registerValueType(ReflectionHints reflection, Type type, Set<Class<?>> seen) {
        ResolvableType resolvable = ResolvableType.forType(type);
        for (ResolvableType generic : resolvable.getGenerics()) {
            registerValueType(reflection, generic.getType(), seen);
        }
        Class<?> raw = resolvable.resolve();
        if (raw == null) {
            return;
        }
        if (raw.isArray()) {
            registerValueType(reflection, raw.getComponentType(), seen);
            return;
        }
        if (raw.isPrimitive() || isContainer(raw) || !seen.add(raw)) {
            return;
        }
        reflection.registerType(raw, VALUE_MEMBERS);
        for (Class<?> c = raw; c != null && !isContainer(c); c = c.getSuperclass()) {
            if (c != raw) {
                reflection.registerType(c, VALUE_MEMBERS);
            }
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    registerValueType(reflection, field.getGenericType(), seen);
                }
            }
        }
    }
}
