package io.courier.rpc;

import io.micrometer.context.ThreadLocalAccessor;

/**
 * Lets Micrometer's context-propagation library carry the current {@link RpcContext} (its
 * attachments, deadline and, inside a served call, the call itself) across thread hops: a
 * {@code ContextSnapshot} captures it, and {@code ContextExecutorService}, Spring's
 * {@code ContextPropagatingTaskDecorator} (for {@code @Async}) and Reactor's automatic context
 * propagation ({@code Hooks.enableAutomaticContextPropagation()}) bind it where the work runs and
 * restore the previous context afterwards.
 *
 * <p>Thread-safe (stateless). Registered through {@code META-INF/services}, so
 * {@code ContextRegistry.getInstance()} finds it whenever {@code io.micrometer:context-propagation}
 * is on the class path; nothing to configure.
 */
public final class RpcContextThreadLocalAccessor implements ThreadLocalAccessor<RpcContext> {

    /** The key under which snapshots hold the context. */
    public static final String KEY = "courier.rpc.context";

    @Override
    public Object key() {
        return KEY;
    }

    @Override
    public RpcContext getValue() {
        return RpcContext.bound();
    }

    @Override
    public void setValue(RpcContext value) {
        RpcContext.bind(value);
    }

    @Override
    public void setValue() {
        RpcContext.bind(null);
    }
}
