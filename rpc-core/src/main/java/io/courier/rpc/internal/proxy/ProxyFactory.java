package io.courier.rpc.internal.proxy;

import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.interceptor.InterceptorChain;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.ReturnKind;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Creates JDK dynamic proxies for referenced interfaces.
 *
 * <p>Thread-safe (stateless). All method metadata is parsed here, so a bad declaration fails
 * when the proxy is created, not on the first call.
 */
public final class ProxyFactory {

    private ProxyFactory() {
    }

    /**
     * Creates a proxy.
     *
     * @param interceptors the client interceptors, outermost first
     * @param invoker sends a call (the end of the interceptor chain)
     * @param target describes where calls go, for {@code toString()}
     * @param defaultTimeout the timeout of methods for which neither the reference nor the interface sets one
     * @param callbackExecutor where futures returned by async methods are completed
     * @throws IllegalArgumentException when a method declaration is invalid
     */
    public static <T> T create(ReferenceConfig<T> reference,
            Function<RpcRequest, CompletableFuture<RpcResponse>> invoker, List<ClientInterceptor> interceptors,
            Duration defaultTimeout, Executor callbackExecutor, String target) {
        Class<T> type = reference.serviceInterface();
        Map<Method, ReferenceInvocationHandler.Target> methods = new HashMap<>();
        for (Method method : type.getMethods()) {
            if (!Modifier.isStatic(method.getModifiers()) && !method.isDefault()) {
                boolean streams = MethodMetadata.streams(method);
                MethodMetadata metadata = MethodMetadata.forConsumer(method, reference.serviceKey(),
                        streams ? reference.streamTimeoutMillis(method) : reference.timeoutMillis(method, defaultTimeout),
                        // A stream is never cut short and retried: its messages may already have been used.
                        streams ? 0 : reference.attemptTimeoutMillis(method),
                        reference.hedgeDelayMillis(method), reference.hedgeAttempts());
                // Callers that get a future or a stream complete on the callback executor; blocked
                // callers are woken directly.
                boolean takesFuture = metadata.returnKind() != ReturnKind.VALUE || metadata.isStreaming()
                        || reference.async() && !metadata.isOneWay();
                methods.put(method, new ReferenceInvocationHandler.Target(metadata,
                        InterceptorChain.forClient(interceptors, metadata, invoker), reference.async(),
                        takesFuture ? callbackExecutor : null));
            }
        }
        ReferenceInvocationHandler handler = new ReferenceInvocationHandler(Map.copyOf(methods),
                "CourierProxy[" + reference.serviceKey() + " -> " + target + "]");
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
