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
    FUTURE,

    /** Reactor's {@code Mono}: one value later, like {@link #FUTURE}. */
    MONO,

    /** A stream of values: a {@link java.util.concurrent.Flow.Publisher} or Reactor's {@code Flux}. */
    STREAM;

    /** Returns the kind of a method. */
    public static ReturnKind of(Method method) {
        Class<?> raw = method.getReturnType();
        if (raw == CompletableFuture.class || raw == CompletionStage.class) {
            return FUTURE;
        }
        StreamType stream = StreamType.of(raw);
        if (stream == StreamType.MONO) {
            return MONO;
        }
        return stream != null ? STREAM : VALUE;
    }

    /**
     * Returns the type of the value on the wire: the type argument of a future or {@code Mono},
     * the element type of a stream.
     */
    public static Type valueType(Method method) {
        if (of(method) != VALUE) {
            Type generic = method.getGenericReturnType();
            return generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
        }
        return method.getGenericReturnType();
    }
}
