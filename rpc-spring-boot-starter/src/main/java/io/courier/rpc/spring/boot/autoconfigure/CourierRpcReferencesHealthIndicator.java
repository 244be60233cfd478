package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Health of this application's references: DOWN while a referenced service has no provider the
 * client knows of (its calls fail with NO_PROVIDER), UP otherwise; details give the number of
 * providers and open connections per service.
 *
 * <p>Thread-safe.
 */
public class CourierRpcReferencesHealthIndicator extends AbstractHealthIndicator {

    private final RpcClient client;

    /** Creates an indicator of a client's references. */
    public CourierRpcReferencesHealthIndicator(RpcClient client) {
        super("Courier RPC references health check failed");
        this.client = client;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, List<String>> routes = client.routingTable();
        Map<String, Integer> providers = new TreeMap<>();
        routes.forEach((service, addresses) -> providers.put(service, addresses.size()));
        List<String> without = providers.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey)
                .toList();
        if (without.isEmpty()) {
            builder.up();
        } else {
            builder.down().withDetail("withoutProvider", without);
        }
        builder.withDetail("providers", providers).withDetail("connections", client.connectionCounts().size());
    }
}
