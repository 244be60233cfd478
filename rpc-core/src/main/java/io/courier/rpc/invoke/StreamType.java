package io.courier.rpc.invoke;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * The reactive types a service method may declare, and the conversions between them and the
 * JDK's {@link Flow.Publisher}, which is what the transport streams.
 *
 * <p>{@link #FLUX} and {@link #MONO} are Project Reactor's types, recognised only when Reactor
 * is on the class path; rpc-core does not depend on it otherwise. Thread-safe (immutable).
 */
public enum StreamType {

    /** {@link Flow.Publisher}: zero or more elements. */
    FLOW,

    /** Reactor's {@code Flux}: zero or more elements. */
    FLUX,

    /** Reactor's {@code Mono}: at most one element; a unary call when no argument streams. */
    MONO;

    private static final String FLUX_CLASS = "reactor.core.publisher.Flux";
    private static final String MONO_CLASS = "reactor.core.publisher.Mono";

    /** Returns the stream type of a declared class, or {@code null} when it is not one. */
    public static StreamType of(Class<?> type) {
        if (type == Flow.Publisher.class) {
            return FLOW;
        }
        String name = type.getName();
        if (name.equals(FLUX_CLASS)) {
            return FLUX;
        }
        if (name.equals(MONO_CLASS)) {
            return MONO;
        }
        return null;
    }

    /** Whether {@code type} is a stream type, or a Reactive Streams publisher the transport cannot carry. */
    public static boolean isReactive(Class<?> type) {
        return of(type) != null || type.getName().equals("org.reactivestreams.Publisher");
    }

    /** Returns the element type of a declared {@code Publisher<T>}, {@code Flux<T>} or {@code Mono<T>}. */
    public static Type elementType(Type declared) {
        return declared instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
    }

    /** Returns a value of this type (as the method declares it) as a JDK publisher. */
    public <T> Flow.Publisher<T> toFlow(Object value) {
        if (value instanceof Flow.Publisher<?>) {
            // Already a JDK publisher, e.g. an interceptor's wrapper around the declared type.
            return cast(value);
        }
        return switch (this) {
            case FLOW -> cast(value);
            case FLUX, MONO -> ReactorAdapter.toFlow(value);
        };
    }

    /** Returns a JDK publisher as a value of this type, as the method declares it. */
    public Object fromFlow(Flow.Publisher<?> publisher) {
        return switch (this) {
            case FLOW -> publisher;
            case FLUX -> ReactorAdapter.toFlux(publisher);
            case MONO -> ReactorAdapter.toMono(publisher);
        };
    }

    /** Returns a {@code Mono} as a future; cancelling the future cancels the subscription. */
    public static CompletableFuture<Object> monoToFuture(Object mono) {
        return ReactorAdapter.monoToFuture(mono);
    }

    /** Returns a future as a {@code Mono}; cancelling the subscription cancels the future. */
    public static Object futureToMono(CompletableFuture<?> future) {
        return ReactorAdapter.futureToMono(future);
    }

    /**
     * Returns a cold {@code Mono} that calls {@code call} for each subscriber; cancelling the
     * subscription cancels that subscriber's future.
     */
    public static Object deferMono(Supplier<CompletableFuture<?>> call) {
        return ReactorAdapter.deferMono(call);
    }

    @SuppressWarnings("unchecked")
    private static <T> Flow.Publisher<T> cast(Object value) {
        return (Flow.Publisher<T>) value;
    }
}
