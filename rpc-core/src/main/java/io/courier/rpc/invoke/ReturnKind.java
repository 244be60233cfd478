package io.courier.rpc.invoke;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How a service method delivers its result.
 *
 * <p>Thread-safe (immutable).
 */
public enum ReturnKind {

    /** A plain value (or {@code void}), returned synchronously. */
    VALUE,

    /** A {@link CompletableFuture} or {@link CompletionStage} completed later. */
    FUTURE;

    /** Returns the kind of a method. */
    public static ReturnKind of(Method method) {
        Class<?> raw = method.getReturnType();
        return raw == CompletableFuture.class || raw == CompletionStage.class ? FUTURE : VALUE;
    }

    /** Returns the type of the value on the wire: the future's type argument for {@link #FUTURE}. */
    public static Type valueType(Method method) {
        if (of(method) == FUTURE) {
            Type generic = method.getGenericReturnType();
            return generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
        }
        return method.getGenericReturnType();
    }
}
