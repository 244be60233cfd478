package io.courier.rpc.spring;

import io.courier.rpc.RpcServer;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the Courier server of an application context has withdrawn from its registry,
 * drained its in-flight calls (within the shutdown grace) and closed its port.
 */
public class RpcServerStoppedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the event.
     *
     * @param server the stopped server
     */
    public RpcServerStoppedEvent(RpcServer server) {
        super(server);
    }

    /** Returns the stopped server. */
    public RpcServer getServer() {
        return (RpcServer) getSource();
    }
}
