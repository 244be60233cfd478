package io.courier.rpc.internal.exceptions;

import io.courier.rpc.RpcException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the serializers need to send a business exception and re-create it exactly: the fields a
 * class adds below {@code Throwable}, and a way to make an instance the way Java serialization
 * does, running only {@code Throwable(String, Throwable)} and none of the class's own
 * constructors, so that a constructor that builds its message from its argument cannot wrap the
 * message again, and a class without a {@code String} constructor does not lose it. Applications'
 * exception classes only: the JDK's and Courier's own are made through their constructors.
 *
 * <p>Thread-safe (stateless). Reflection happens when a serializer builds its per-class layout,
 * never per exception; the instances it returns are cached by the caller.
 */
public final class ExceptionShapes {

    private static final Logger log = LoggerFactory.getLogger(ExceptionShapes.class);
    private static final Set<Class<?>> ROOTS =
            Set.of(Throwable.class, Exception.class, RuntimeException.class, Error.class);

    private ExceptionShapes() {
    }

    /**
     * Returns the constructor that makes an instance of {@code type} with message and cause
     * running only {@code Throwable(String, Throwable)}; {@code null} for an abstract class or
     * where the JDK does not offer it.
     */
    public static Constructor<?> exactConstructor(Class<?> type) {
        if (!Throwable.class.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers()) || isJdkClass(type)
                || RpcException.class.isAssignableFrom(type)) {
            // The JDK's exceptions and Courier's own set up more than message and cause in their
            // constructors, which take the message as it is: they are made through those.
            return null;
        }
        try {
            Constructor<Throwable> base = Throwable.class.getDeclaredConstructor(String.class, Throwable.class);
            return sun.reflect.ReflectionFactory.getReflectionFactory().newConstructorForSerialization(type, base);
        } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
            log.debug("No serialization constructor for {}: {}", type.getName(), e.toString());
            return null;
        }
    }

    /** Makes an instance with {@link #exactConstructor}; {@code null} when that fails. */
    public static Throwable newExact(Constructor<?> exact, String message, Throwable cause) {
        if (exact == null) {
            return null;
        }
        try {
            return (Throwable) exact.newInstance(message, cause);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.debug("Cannot re-create {} without its constructors: {}", exact.getDeclaringClass().getName(),
                    e.toString());
            return null;
        }
    }

    /**
     * Returns the non-static, non-transient fields {@code type} and its superclasses declare below
     * {@code Throwable}, {@code Exception}, {@code RuntimeException} and {@code Error}, skipping
     * JDK classes and fields hidden by a subclass field of the same name, opened for access;
     * fields that cannot be opened are left out.
     */
    public static Field[] userFields(Class<?> type) {
        Map<String, Field> byName = new LinkedHashMap<>();
        for (Class<?> c = type; c != null && !ROOTS.contains(c); c = c.getSuperclass()) {
            if (isJdkClass(c)) {
                continue;
            }
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isSynthetic()
                        || byName.containsKey(field.getName())) {
                    continue;
                }
                if (field.trySetAccessible()) {
                    byName.put(field.getName(), field);
                } else {
                    log.debug("Field {} of {} is not accessible and will not be sent", field.getName(), c.getName());
                }
            }
        }
        return byName.values().toArray(new Field[0]);
    }

    /** Whether a class belongs to the JDK (whose internals serializers neither read nor allow by package). */
    public static boolean isJdkClass(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("com.sun.");
    }
}
