package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.registry.Registry;
import io.courier.rpc.registry.RegistryHealth;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the registry: UP while it is connected, UP with {@code state: DEGRADED} while it is
 * not but consumers keep calling the last known providers (or a snapshot's), DOWN when it is not
 * reachable and nothing stands in for it.
 *
 * <p>Thread-safe.
 */
public class CourierRpcRegistryHealthIndicator extends AbstractHealthIndicator {

    private final Registry registry;

    /** Creates an indicator of a registry. */
    public CourierRpcRegistryHealthIndicator(Registry registry) {
        super("Courier RPC registry health check failed");
        this.registry = registry;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        RegistryHealth health = registry.health();
        if (health.state() == RegistryHealth.State.DISCONNECTED) {
            builder.down();
        } else {
            builder.up();
        }
        builder.withDetail("state", health.state()).withDetails(health.details());
    }
}
