package io.courier.rpc.observation;

import io.micrometer.common.KeyValues;

/**
 * The default names and tags of server-side observations: {@value #NAME}, tagged with
 * {@code rpc.system=courier}, {@code rpc.service}, {@code rpc.method} and {@code rpc.status}, so
 * timers per service, method and status follow; spans are named {@code <interface>/<method>}.
 * Extend it to add keys: {@code super.getLowCardinalityKeyValues(context).and("region", "eu")}.
 *
 * <p>Thread-safe (stateless).
 */
public class DefaultRpcServerObservationConvention implements RpcServerObservationConvention {

    /** Name of server-side observations, and so of their timer. */
    public static final String NAME = "courier.rpc.server";

    /** The shared instance. */
    public static final DefaultRpcServerObservationConvention INSTANCE = new DefaultRpcServerObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(RpcServerObservationContext context) {
        return RpcKeyValues.contextualName(context);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(RpcServerObservationContext context) {
        return RpcKeyValues.lowCardinality(context);
    }
}
