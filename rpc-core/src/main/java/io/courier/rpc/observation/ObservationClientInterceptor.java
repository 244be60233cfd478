package io.courier.rpc.observation;

import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Observes every call a consumer makes with Micrometer's Observation API: a timer per service,
 * method and status with a meter handler, and a client span whose propagation headers travel
 * as attachments with a tracing handler.
 *
 * <p>Thread-safe. Place it first (outermost) so the observation covers retries and the other
 * interceptors.
 */
public final class ObservationClientInterceptor implements ClientInterceptor {

    private final ObservationRegistry registry;
    private final RpcClientObservationConvention convention;

    /** Creates an interceptor recording into {@code registry}. */
    public ObservationClientInterceptor(ObservationRegistry registry) {
        this(registry, null);
    }

    /**
     * Creates an interceptor with a custom convention.
     *
     * @param convention replaces {@link DefaultRpcClientObservationConvention}, or {@code null} for the
     *        default (or a global convention registered with {@code registry})
     */
    public ObservationClientInterceptor(ObservationRegistry registry, RpcClientObservationConvention convention) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.convention = convention;
    }

    @Override
    public CompletableFuture<RpcResponse> intercept(Chain chain) {
        RpcRequest request = chain.request();
        RpcClientObservationContext context = new RpcClientObservationContext(request);
        Observation observation = Observation.createNotStarted(convention,
                DefaultRpcClientObservationConvention.INSTANCE, () -> context, registry);
        return ObservedCall.run(request, observation, (response, status) -> {
            context.setResponse(response);
            context.status(status);
        }, () -> chain.proceed(request.withAttachments(context.getCarrier())));
    }
}
