package io.courier.rpc.proxy;

import io.courier.rpc.cluster.FailoverInvoker;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.invoke.MethodMetadata;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

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
     * @param defaultTimeout the timeout of methods for which neither the reference nor the interface sets one
     * @param callbackExecutor where futures returned by async methods are completed
     * @throws IllegalArgumentException when a method declaration is invalid
     */
    public static <T> T create(ReferenceConfig<T> reference, FailoverInvoker invoker, Duration defaultTimeout,
            Executor callbackExecutor) {
        Class<T> type = reference.serviceInterface();
        Map<Method, MethodMetadata> methods = new HashMap<>();
        for (Method method : type.getMethods()) {
            if (!Modifier.isStatic(method.getModifiers()) && !method.isDefault()) {
                methods.put(method, MethodMetadata.parse(method, reference, defaultTimeout));
            }
        }
        ReferenceInvocationHandler handler = new ReferenceInvocationHandler(Map.copyOf(methods), invoker,
                callbackExecutor, "CourierProxy[" + reference.serviceKey() + " -> " + invoker.addresses() + "]");
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
