package io.courier.rpc.invoke;

import java.util.Map;

/**
 * The value a method returns when there is no real result: {@code null}, or zero / {@code false}
 * for primitives.
 *
 * <p>Thread-safe (constants only).
 */
public final class DefaultValues {

    private static final Map<Class<?>, Object> PRIMITIVES = Map.of(
            boolean.class, false, char.class, '\0', byte.class, (byte) 0, short.class, (short) 0,
            int.class, 0, long.class, 0L, float.class, 0f, double.class, 0d);

    private DefaultValues() {
    }

    /** Returns the default value of a return type ({@code null} for references and {@code void}). */
    public static Object of(Class<?> type) {
        return type.isPrimitive() ? PRIMITIVES.get(type) : null;
    }
}
