package io.courier.rpc.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observations of served calls. Implement it (or extend
 * {@link DefaultRpcServerObservationConvention}) to rename the timer or add keys, and pass it to
 * {@link ObservationServerInterceptor#ObservationServerInterceptor(io.micrometer.observation.ObservationRegistry,
 * RpcServerObservationConvention)}; the Spring Boot starter uses a single bean of this type.
 *
 * <p>Implementations must be thread-safe: one instance serves every call.
 */
public interface RpcServerObservationConvention extends ObservationConvention<RpcServerObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof RpcServerObservationContext;
    }
}
