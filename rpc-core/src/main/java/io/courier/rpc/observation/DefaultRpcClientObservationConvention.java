package io.courier.rpc.observation;

import io.micrometer.common.KeyValues;

/**
 * The default names and tags of client-side observations: {@value #NAME}, tagged with
 * {@code rpc.system=courier}, {@code rpc.service}, {@code rpc.method} and {@code rpc.status}, so
 * timers per service, method and status follow; spans are named {@code <interface>/<method>}.
 * Extend it to add keys: {@code super.getLowCardinalityKeyValues(context).and("region", "eu")}.
 *
 * <p>Thread-safe (stateless).
 */
public class DefaultRpcClientObservationConvention implements RpcClientObservationConvention {

    /** Name of client-side observations, and so of their timer. */
    public static final String NAME = "courier.rpc.client";

    /** The shared instance. */
    public static final DefaultRpcClientObservationConvention INSTANCE = new DefaultRpcClientObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(RpcClientObservationContext context) {
        return RpcKeyValues.contextualName(context);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(RpcClientObservationContext context) {
        return RpcKeyValues.lowCardinality(context);
    }
}
