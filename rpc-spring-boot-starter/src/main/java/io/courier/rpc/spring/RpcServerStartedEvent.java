package io.courier.rpc.spring;

import io.courier.rpc.RpcServer;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the Courier server of an application context has bound its port and registered
 * its services; like Spring Boot's {@code WebServerInitializedEvent}. By then the property
 * {@value #PORT_PROPERTY} holds the bound port.
 */
public class RpcServerStartedEvent extends ApplicationEvent {

    /** The property holding the port the server listens on, set when it starts. */
    public static final String PORT_PROPERTY = "local.courier.rpc.server.port";

    private static final long serialVersionUID = 1L;

    /**
     * Creates the event.
     *
     * @param server the started server
     */
    public RpcServerStartedEvent(RpcServer server) {
        super(server);
    }

    /** Returns the started server. */
    public RpcServer getServer() {
        return (RpcServer) getSource();
    }

    /** Returns the port the server listens on. */
    public int getPort() {
        return getServer().address().getPort();
    }
}
