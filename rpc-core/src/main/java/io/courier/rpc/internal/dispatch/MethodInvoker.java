package io.courier.rpc.internal.dispatch;

import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.ReturnKind;
import io.courier.rpc.invoke.StreamType;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.RpcException;
import io.courier.rpc.interceptor.InterceptorChain;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.RpcErrorCode;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Calls one method of one exported service object, resolved once at export time together with
 * the server interceptors that apply to it.
 *
 * <p>Thread-safe (immutable). Uses a {@link MethodHandle} bound to the target and spread over an
 * argument array, so no reflection lookup happens per call.
 */
public final class MethodInvoker {

    private final MethodMetadata metadata;
    private final MethodHandle handle;
    private final InterceptorChain chain;
    private final long timeoutMillis;

    private MethodInvoker(MethodMetadata metadata, MethodHandle handle, List<ServerInterceptor> interceptors,
            long timeoutMillis) {
        this.metadata = metadata;
        this.handle = handle;
        this.timeoutMillis = timeoutMillis;
        this.chain = InterceptorChain.forServer(interceptors, metadata, this::invokeMethod);
    }

    /** Resolves an invoker for {@code method} of a service interface on {@code target}. */
    static MethodInvoker of(Method method, Object target, ServiceKey serviceKey, List<ServerInterceptor> interceptors,
            long timeoutMillis) {
        MethodHandle handle;
        try {
            // Interfaces may be package-private; the accessible flag lets the lookup unreflect them.
            method.setAccessible(true);
            handle = MethodHandles.lookup().unreflect(method);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot access " + method + ": " + e.getMessage(), e);
        }
        MethodHandle bound = handle.bindTo(target)
                .asSpreader(Object[].class, method.getParameterCount())
                .asType(MethodType.methodType(Object.class, Object[].class));
        return new MethodInvoker(MethodMetadata.forProvider(method, serviceKey), bound, interceptors, timeoutMillis);
    }

    /** Returns the method's metadata. */
    public MethodMetadata metadata() {
        return metadata;
    }

    /** Returns the provider-side cap on a call's duration in milliseconds, 0 for none. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** Returns the interface method. */
    public Method method() {
        return metadata.method();
    }

    /** Returns the generic parameter types, for deserializing arguments. Do not modify. */
    public Type[] parameterTypes() {
        return metadata.parameterTypes();
    }

    /**
     * Runs a call through the server interceptors and the method. Business exceptions, thrown or
     * returned through a future, become responses carrying them.
     */
    public CompletableFuture<RpcResponse> invoke(RpcRequest request) {
        return chain.proceed(request);
    }

    private CompletableFuture<RpcResponse> invokeMethod(RpcRequest request) {
        Object result;
        try {
            result = handle.invokeExact(request.arguments());
        } catch (Throwable t) {
            return CompletableFuture.completedFuture(RpcResponse.ofException(t, null));
        }
        ReturnKind kind = metadata.returnKind();
        if (kind != ReturnKind.FUTURE && kind != ReturnKind.MONO) {
            // A value, or the publisher of a streamed result, which the transport subscribes to.
            return CompletableFuture.completedFuture(RpcResponse.ofValue(result, null));
        }
        if (result == null) {
            return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.INTERNAL,
                    metadata.name() + " returned a null " + (kind == ReturnKind.MONO ? "Mono" : "future")));
        }
        CompletionStage<?> stage = kind == ReturnKind.MONO ? StreamType.monoToFuture(result) : (CompletionStage<?>) result;
        CompletableFuture<RpcResponse> response = new CompletableFuture<>();
        stage.whenComplete((value, error) -> response.complete(error == null
                ? RpcResponse.ofValue(value, null) : RpcResponse.ofException(unwrap(error), null)));
        return response;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public String toString() {
        return "MethodInvoker[" + metadata + "]";
    }
}
