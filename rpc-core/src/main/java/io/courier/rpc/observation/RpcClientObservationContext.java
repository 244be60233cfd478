package io.courier.rpc.observation;

import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.micrometer.observation.transport.RequestReplySenderContext;

import java.util.HashMap;
import java.util.Map;

/**
 * Observation context of a call a consumer makes. Its carrier is a map of attachments that
 * tracing handlers write propagation headers into; they travel with the call.
 *
 * <p>Not thread-safe; one per call.
 */
public final class RpcClientObservationContext extends RequestReplySenderContext<Map<String, String>, RpcResponse>
        implements RpcObservationContext {

    private final RpcRequest request;
    private String status = "UNKNOWN";

    /** Creates the context of a call. */
    public RpcClientObservationContext(RpcRequest request) {
        super((carrier, key, value) -> carrier.put(key, value));
        this.request = request;
        setCarrier(new HashMap<>());
        setRemoteServiceName(request.method().interfaceName());
    }

    @Override
    public RpcRequest request() {
        return request;
    }

    @Override
    public String status() {
        return status;
    }

    void status(String status) {
        this.status = status;
    }

    @Override
    public RpcResponse rpcResponse() {
        return getResponse();
    }
}
