package io.courier.rpc.observation;

import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Observes every call a provider serves: a timer per service, method and status with a meter
 * handler, and a server span continuing the caller's trace (read from the call's attachments)
 * with a tracing handler. The observation is in scope while the service method runs, so calls
 * it makes to other services join the same trace.
 *
 * <p>Thread-safe. Place it first (outermost).
 */
public final class ObservationServerInterceptor implements ServerInterceptor {

    private final ObservationRegistry registry;
    private final RpcServerObservationConvention convention;

    /** Creates an interceptor recording into {@code registry}. */
    public ObservationServerInterceptor(ObservationRegistry registry) {
        this(registry, null);
    }

    /**
     * Creates an interceptor with a custom convention.
     *
     * @param convention replaces {@link DefaultRpcServerObservationConvention}, or {@code null} for the
     *        default (or a global convention registered with {@code registry})
     */
    public ObservationServerInterceptor(ObservationRegistry registry, RpcServerObservationConvention convention) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.convention = convention;
    }

    @Override
    public CompletableFuture<RpcResponse> intercept(Chain chain) {
        RpcRequest request = chain.request();
        RpcServerObservationContext context = new RpcServerObservationContext(request);
        Observation observation = Observation.createNotStarted(convention,
                DefaultRpcServerObservationConvention.INSTANCE, () -> context, registry);
        return ObservedCall.run(request, observation, (response, status) -> {
            context.setResponse(response);
            context.status(status);
        }, () -> chain.proceed(request));
    }
}
