package io.courier.rpc.invoke;

import io.courier.rpc.RpcMethod;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * Everything a consumer needs to call one interface method, computed once when the proxy is
 * created so that bad declarations fail at startup and calls do no reflection.
 *
 * <p>Immutable and thread-safe.
 */
public final class MethodMetadata {

    private final Method method;
    private final ServiceKey key;
    private final String serviceKey;
    private final String qualifiedName;
    private final MethodSignature signature;
    private final Type[] parameterTypes;
    private final Type valueType;
    private final ReturnKind returnKind;
    private final boolean oneWay;
    private final boolean idempotent;
    private final long timeoutMillis;
    private final long attemptTimeoutMillis;
    private final long hedgeDelayMillis;
    private final int hedgeAttempts;
    private final int[] hashArguments;
    private final int requestStreamIndex;
    private final StreamType requestStreamType;
    private final Type requestElementType;
    private final StreamType responseStreamType;
    private final Type[] wireParameterTypes;

    private MethodMetadata(Method method, ServiceKey key, long timeoutMillis, long attemptTimeoutMillis,
            long hedgeDelayMillis, int hedgeAttempts) {
        RpcMethod annotation = method.getAnnotation(RpcMethod.class);
        this.method = method;
        this.key = key;
        this.serviceKey = key.toString();
        this.qualifiedName = key.interfaceName() + "#" + method.getName();
        this.signature = MethodSignature.of(method);
        this.parameterTypes = method.getGenericParameterTypes();
        this.returnKind = ReturnKind.of(method);
        this.valueType = ReturnKind.valueType(method);
        this.oneWay = annotation != null && annotation.oneWay();
        this.idempotent = annotation != null && annotation.idempotent();
        this.timeoutMillis = timeoutMillis;
        this.attemptTimeoutMillis = attemptTimeoutMillis;
        this.hedgeDelayMillis = hedgeDelayMillis;
        this.hedgeAttempts = hedgeAttempts;
        this.hashArguments = annotation != null ? annotation.hashArguments().clone() : new int[] {0};
        for (int position : hashArguments) {
            if (position < 0 || (position >= method.getParameterCount() && method.getParameterCount() > 0)) {
                throw new IllegalArgumentException("hashArguments of " + method + ": " + position
                        + " (expected: 0.." + (method.getParameterCount() - 1) + ")");
            }
        }
        if (oneWay && method.getReturnType() != void.class) {
            throw new IllegalArgumentException("One-way method " + method + " must return void");
        }
        int streamIndex = -1;
        Class<?>[] raw = method.getParameterTypes();
        for (int i = 0; i < raw.length; i++) {
            StreamType type = StreamType.of(raw[i]);
            if (type == StreamType.MONO || (type == null && StreamType.isReactive(raw[i]))) {
                throw new IllegalArgumentException("Parameter " + i + " of " + method + " is a " + raw[i].getSimpleName()
                        + "; a streamed argument must be a java.util.concurrent.Flow.Publisher or a Flux");
            }
            if (type != null) {
                if (streamIndex >= 0) {
                    throw new IllegalArgumentException(method + " takes more than one stream; at most one argument may stream");
                }
                streamIndex = i;
            }
        }
        if (StreamType.isReactive(method.getReturnType()) && StreamType.of(method.getReturnType()) == null) {
            throw new IllegalArgumentException(method + " returns a " + method.getReturnType().getSimpleName()
                    + "; a streamed result must be a java.util.concurrent.Flow.Publisher, a Flux or a Mono");
        }
        this.requestStreamIndex = streamIndex;
        this.requestStreamType = streamIndex < 0 ? null : StreamType.of(raw[streamIndex]);
        this.requestElementType = streamIndex < 0 ? null : StreamType.elementType(parameterTypes[streamIndex]);
        this.responseStreamType = returnKind == ReturnKind.STREAM ? StreamType.of(method.getReturnType()) : null;
        if (streamIndex >= 0) {
            this.wireParameterTypes = parameterTypes.clone();
            this.wireParameterTypes[streamIndex] = Object.class;
        } else {
            this.wireParameterTypes = parameterTypes;
        }
        if (oneWay && isStreaming()) {
            throw new IllegalArgumentException("Streaming method " + method + " cannot be one-way");
        }
    }

    /**
     * Parses a method of a referenced interface, for the consumer side.
     *
     * @param timeoutMillis the method's resolved timeout, at least 1; for a streaming method the
     *        deadline of the whole stream, 0 for none
     * @throws IllegalArgumentException when the declaration is invalid (e.g. a one-way method returning a value)
     */
    public static MethodMetadata forConsumer(Method method, ServiceKey serviceKey, long timeoutMillis) {
        return forConsumer(method, serviceKey, timeoutMillis, 0);
    }

    /**
     * Parses a method of a referenced interface, for the consumer side, with a per-attempt timeout.
     *
     * @param timeoutMillis the method's resolved timeout, at least 1; for a streaming method the
     *        deadline of the whole stream, 0 for none
     * @param attemptTimeoutMillis the method's resolved per-attempt timeout, 0 for none; see
     *     {@link RpcMethod#attemptTimeoutMillis()}
     * @throws IllegalArgumentException when the declaration is invalid (e.g. a one-way method returning a value)
     */
    public static MethodMetadata forConsumer(Method method, ServiceKey serviceKey, long timeoutMillis,
            long attemptTimeoutMillis) {
        return forConsumer(method, serviceKey, timeoutMillis, attemptTimeoutMillis, 0, 1);
    }

    /**
     * Parses a method of a referenced interface, for the consumer side, with a per-attempt
     * timeout and hedging.
     *
     * @param timeoutMillis the method's resolved timeout, at least 1; for a streaming method the
     *        deadline of the whole stream, 0 for none
     * @param attemptTimeoutMillis the method's resolved per-attempt timeout, 0 for none; see
     *     {@link RpcMethod#attemptTimeoutMillis()}
     * @param hedgeDelayMillis the method's resolved hedging delay, 0 for none; see
     *     {@link RpcMethod#hedgeDelayMillis()}
     * @param hedgeAttempts how many attempts a hedged call makes at most, the first included (at least 1)
     * @throws IllegalArgumentException when the declaration is invalid (e.g. a one-way method
     *     returning a value, or hedging of a method that is not idempotent)
     */
    public static MethodMetadata forConsumer(Method method, ServiceKey serviceKey, long timeoutMillis,
            long attemptTimeoutMillis, long hedgeDelayMillis, int hedgeAttempts) {
        if (hedgeDelayMillis < 0) {
            throw new IllegalArgumentException("hedgeDelayMillis: " + hedgeDelayMillis + " (expected: >= 0)");
        }
        if (hedgeAttempts < 1) {
            throw new IllegalArgumentException("hedgeAttempts: " + hedgeAttempts + " (expected: >= 1)");
        }
        if (timeoutMillis < 0 || timeoutMillis == 0 && !streams(method)) {
            throw new IllegalArgumentException("timeoutMillis: " + timeoutMillis + " (expected: >= 1)");
        }
        if (attemptTimeoutMillis < 0) {
            throw new IllegalArgumentException("attemptTimeoutMillis: " + attemptTimeoutMillis + " (expected: >= 0)");
        }
        MethodMetadata metadata = new MethodMetadata(method, serviceKey, timeoutMillis, attemptTimeoutMillis,
                hedgeDelayMillis, hedgeAttempts);
        if (hedgeDelayMillis > 0 && (!metadata.idempotent || metadata.oneWay || metadata.isStreaming())) {
            throw new IllegalArgumentException("hedgeDelayMillis of " + method + ": " + hedgeDelayMillis
                    + " (expected: 0 for a method that is not idempotent, one-way or streaming)");
        }
        return metadata;
    }

    /** Whether a method streams in either direction: it returns a stream or takes one. */
    public static boolean streams(Method method) {
        if (ReturnKind.of(method) == ReturnKind.STREAM) {
            return true;
        }
        for (Class<?> type : method.getParameterTypes()) {
            if (StreamType.of(type) != null) {
                return true;
            }
        }
        return false;
    }

    /** Parses a method of an exported interface, for the provider side; it carries no timeout. */
    public static MethodMetadata forProvider(Method method, ServiceKey serviceKey) {
        return new MethodMetadata(method, serviceKey, 0, 0, 0, 1);
    }

    /** Returns the interface method. */
    public Method method() {
        return method;
    }

    /** Returns the key of the service the method belongs to. */
    public ServiceKey key() {
        return key;
    }

    /** Returns the fully qualified name of the service interface. */
    public String interfaceName() {
        return key.interfaceName();
    }

    /** Returns {@code interface#method}, the key limits and logs use. */
    public String qualifiedName() {
        return qualifiedName;
    }

    /** Returns the wire form of the service key. */
    public String serviceKey() {
        return serviceKey;
    }

    /** Returns the method name. */
    public String name() {
        return signature.name();
    }

    /** Returns the parameter descriptor. */
    public String parameterDescriptor() {
        return signature.parameterDescriptor();
    }

    /** Returns the generic parameter types. Do not modify. */
    public Type[] parameterTypes() {
        return parameterTypes;
    }

    /**
     * Returns the parameter types as the request frame carries them: the streamed argument, if
     * any, travels as stream messages and is {@code null} (of type {@code Object}) in the frame.
     * Do not modify.
     */
    public Type[] wireParameterTypes() {
        return wireParameterTypes;
    }

    /** Whether the call streams in either direction, so it opens a stream rather than sending one request. */
    public boolean isStreaming() {
        return requestStreamIndex >= 0 || responseStreamType != null;
    }

    /** Returns the position of the streamed argument, or -1 when no argument streams. */
    public int requestStreamIndex() {
        return requestStreamIndex;
    }

    /** Returns how the streamed argument is declared, or {@code null} when no argument streams. */
    public StreamType requestStreamType() {
        return requestStreamType;
    }

    /** Returns the element type of the streamed argument, or {@code null} when no argument streams. */
    public Type requestElementType() {
        return requestElementType;
    }

    /** Whether the result is a stream of values ({@link ReturnKind#STREAM}). */
    public boolean isResponseStreaming() {
        return responseStreamType != null;
    }

    /** Returns how a streamed result is declared, or {@code null} when the result does not stream. */
    public StreamType responseStreamType() {
        return responseStreamType;
    }

    /** Returns the type of the value on the wire (the future's type argument for async methods). */
    public Type valueType() {
        return valueType;
    }

    /** Returns how the method delivers its result. */
    public ReturnKind returnKind() {
        return returnKind;
    }

    /** Whether no response is awaited. */
    public boolean isOneWay() {
        return oneWay;
    }

    /** Whether the method may safely run twice, so retries after an unknown outcome are allowed. */
    public boolean isIdempotent() {
        return idempotent;
    }

    /** Returns the positions of the arguments consistent hashing uses. Do not modify. */
    public int[] hashArguments() {
        return hashArguments;
    }

    /** Returns the resolved timeout in milliseconds; 0 on the provider side. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /**
     * Returns the resolved per-attempt timeout in milliseconds, 0 for none (and on the provider
     * side); see {@link RpcMethod#attemptTimeoutMillis()}.
     */
    public long attemptTimeoutMillis() {
        return attemptTimeoutMillis;
    }

    /**
     * Returns the resolved hedging delay in milliseconds, 0 for none (and on the provider side);
     * see {@link RpcMethod#hedgeDelayMillis()}.
     */
    public long hedgeDelayMillis() {
        return hedgeDelayMillis;
    }

    /** Returns how many attempts a hedged call of this method makes at most, the first included. */
    public int hedgeAttempts() {
        return hedgeAttempts;
    }

    @Override
    public String toString() {
        return serviceKey + "#" + signature;
    }
}
