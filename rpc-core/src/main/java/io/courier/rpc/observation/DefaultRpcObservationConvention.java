package io.courier.rpc.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags of Courier observations: {@code courier.rpc.client} and
 * {@code courier.rpc.server}, tagged with {@code rpc.system=courier}, {@code rpc.service},
 * {@code rpc.method} and {@code rpc.status}, so timers per service, method and status follow.
 *
 * <p>Thread-safe (stateless).
 */
public final class DefaultRpcObservationConvention implements ObservationConvention<Observation.Context> {

    /** Name of consumer-side observations. */
    public static final String CLIENT_NAME = "courier.rpc.client";

    /** Name of provider-side observations. */
    public static final String SERVER_NAME = "courier.rpc.server";

    /** The convention of consumer-side observations. */
    public static final DefaultRpcObservationConvention CLIENT = new DefaultRpcObservationConvention(CLIENT_NAME);

    /** The convention of provider-side observations. */
    public static final DefaultRpcObservationConvention SERVER = new DefaultRpcObservationConvention(SERVER_NAME);

    private final String name;

    private DefaultRpcObservationConvention(String name) {
        this.name = name;
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof RpcObservationContext;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getContextualName(Observation.Context context) {
        RpcObservationContext rpc = (RpcObservationContext) context;
        return rpc.request().method().interfaceName() + "/" + rpc.request().methodName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(Observation.Context context) {
        RpcObservationContext rpc = (RpcObservationContext) context;
        return KeyValues.of(
                "rpc.system", "courier",
                "rpc.service", rpc.request().method().interfaceName(),
                "rpc.method", rpc.request().methodName(),
                "rpc.status", rpc.status());
    }
}
