package io.courier.rpc.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observations of calls a consumer makes. Implement it (or extend
 * {@link DefaultRpcClientObservationConvention}) to rename the timer or add keys, and pass it to
 * {@link ObservationClientInterceptor#ObservationClientInterceptor(io.micrometer.observation.ObservationRegistry,
 * RpcClientObservationConvention)}; the Spring Boot starter uses a single bean of this type.
 *
 * <p>Implementations must be thread-safe: one instance serves every call.
 */
public interface RpcClientObservationConvention extends ObservationConvention<RpcClientObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof RpcClientObservationContext;
    }
}
