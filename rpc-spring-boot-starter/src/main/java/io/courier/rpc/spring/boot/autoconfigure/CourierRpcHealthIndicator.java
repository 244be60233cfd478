package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcServer;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the Courier server: UP while it accepts calls, DOWN before it started and once it
 * began shutting down; details give its address, services and load.
 *
 * <p>Thread-safe.
 */
public class CourierRpcHealthIndicator extends AbstractHealthIndicator {

    private final RpcServer server;

    /** Creates an indicator of a server. */
    public CourierRpcHealthIndicator(RpcServer server) {
        super("Courier RPC health check failed");
        this.server = server;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!server.isRunning()) {
            builder.down().withDetail("port", server.options().port());
            return;
        }
        builder.up()
                .withDetail("address", CourierRpcServerLifecycle.address(server))
                .withDetail("services", server.describeServices().keySet())
                .withDetail("connections", server.connectionCount())
                .withDetail("inFlight", server.inFlightCount());
    }
}
