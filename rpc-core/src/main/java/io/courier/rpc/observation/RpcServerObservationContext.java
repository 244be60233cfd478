package io.courier.rpc.observation;

import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.micrometer.observation.transport.RequestReplyReceiverContext;

/**
 * Observation context of a call a provider serves. Its carrier is the call's attachments, from
 * which tracing handlers read the caller's propagation headers.
 *
 * <p>Not thread-safe; one per call.
 */
public final class RpcServerObservationContext extends RequestReplyReceiverContext<RpcRequest, RpcResponse>
        implements RpcObservationContext {

    private String status = "UNKNOWN";

    /** Creates the context of a served call. */
    public RpcServerObservationContext(RpcRequest request) {
        super((carrier, key) -> carrier.attachments().get(key));
        setCarrier(request);
    }

    @Override
    public RpcRequest request() {
        return getCarrier();
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
