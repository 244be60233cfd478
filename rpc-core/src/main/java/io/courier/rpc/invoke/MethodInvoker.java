package io.courier.rpc.invoke;

import io.courier.rpc.RpcMethod;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * Calls one method of one exported service object, resolved once at export time.
 *
 * <p>Thread-safe (immutable). Uses a {@link MethodHandle} bound to the target and spread over an
 * argument array, so no reflection lookup happens per call.
 */
public final class MethodInvoker {

    private final Method method;
    private final MethodHandle handle;
    private final Type[] parameterTypes;
    private final ReturnKind returnKind;
    private final boolean oneWay;

    private MethodInvoker(Method method, MethodHandle handle) {
        this.method = method;
        this.handle = handle;
        this.parameterTypes = method.getGenericParameterTypes();
        this.returnKind = ReturnKind.of(method);
        RpcMethod annotation = method.getAnnotation(RpcMethod.class);
        this.oneWay = annotation != null && annotation.oneWay();
    }

    /** Resolves an invoker for {@code method} of {@code serviceInterface} on {@code target}. */
    static MethodInvoker of(Method method, Object target) {
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
        return new MethodInvoker(method, bound);
    }

    /** Returns the interface method. */
    public Method method() {
        return method;
    }

    /** Returns the generic parameter types, for deserializing arguments. Do not modify. */
    public Type[] parameterTypes() {
        return parameterTypes;
    }

    /** Returns how the method delivers its result. */
    public ReturnKind returnKind() {
        return returnKind;
    }

    /** Whether the method is declared one-way. */
    public boolean isOneWay() {
        return oneWay;
    }

    /**
     * Calls the method.
     *
     * @throws Throwable whatever the method throws, unwrapped
     */
    public Object invoke(Object[] arguments) throws Throwable {
        return handle.invokeExact(arguments);
    }

    @Override
    public String toString() {
        return "MethodInvoker[" + method.getDeclaringClass().getName() + "#" + MethodSignature.of(method) + "]";
    }
}
