package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.cluster.EndpointStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Health of this application's references: DOWN while a referenced service has no provider the
 * client knows of (its calls fail with NO_PROVIDER), UP otherwise; details give the number of
 * providers and open connections per service, and the providers outlier detection has ejected
 * (with when their ejection ends, how many times in a row they were ejected and their failures
 * in a row). An ejected provider leaves the health UP: the others take its calls, and ejection
 * never takes more than the configured share of a service's providers.
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
        Map<String, List<EndpointStatus>> ejected = new TreeMap<>();
        client.endpointStatuses().forEach((service, statuses) -> {
            List<EndpointStatus> out = statuses.stream().filter(EndpointStatus::ejected).toList();
            if (!out.isEmpty()) {
                ejected.put(service, out);
            }
        });
        builder.withDetail("providers", providers).withDetail("connections", client.connectionCounts().size())
                .withDetail("ejected", ejected);
    }
}
