package io.courier.rpc.observation;

import io.micrometer.common.KeyValues;

/** The name and keys both default conventions give a call. Stateless. */
final class RpcKeyValues {

    private RpcKeyValues() {
    }

    /** Returns {@code <interface>/<method>}, the span name. */
    static String contextualName(RpcObservationContext rpc) {
        return rpc.request().method().interfaceName() + "/" + rpc.request().methodName();
    }

    /** Returns {@code rpc.system}, {@code rpc.service}, {@code rpc.method} and {@code rpc.status}. */
    static KeyValues lowCardinality(RpcObservationContext rpc) {
        return KeyValues.of(
                "rpc.system", "courier",
                "rpc.service", rpc.request().method().interfaceName(),
                "rpc.method", rpc.request().methodName(),
                "rpc.status", rpc.status());
    }
}
