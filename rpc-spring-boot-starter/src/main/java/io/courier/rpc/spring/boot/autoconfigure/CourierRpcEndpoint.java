package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.cluster.EndpointStatus;
import io.courier.rpc.cluster.LoadBalancerFactory;
import io.courier.rpc.cluster.LoadBalancers;
import io.courier.rpc.config.ReferenceConfig;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code courier} Actuator endpoint: what this application exports (services, address,
 * connected consumers), what it calls (references, their routing tables and connections), and
 * the rate and concurrency limits in force. Its write operation ({@code POST /actuator/courier})
 * re-reads the limits from the environment, see {@link CourierRpcLimits#refresh()}.
 *
 * <p>Thread-safe; every read takes a fresh snapshot.
 */
@Endpoint(id = "courier")
public class CourierRpcEndpoint {

    private final RpcServer server;
    private final RpcReferenceFactory references;
    private final CourierRpcLimits limits;

    /**
     * Creates the endpoint.
     *
     * @param server the server, or {@code null} when this application exports nothing
     * @param references the reference factory, or {@code null} when there is no client
     * @param limits the limits, or {@code null} when they are not configured by Courier's auto-configuration
     */
    public CourierRpcEndpoint(RpcServer server, RpcReferenceFactory references, CourierRpcLimits limits) {
        this.server = server;
        this.references = references;
        this.limits = limits;
    }

    /** Returns a snapshot of the server, the consumers and the limits. */
    @ReadOperation
    public CourierDescriptor courier() {
        return new CourierDescriptor(server == null ? null : server(server),
                references == null ? List.of() : consumers(references), limits == null ? null : limits.limits());
    }

    /**
     * Re-reads the rate and concurrency limits from the environment and puts them in force. A
     * bad value changes nothing and is reported in {@code error}.
     */
    @WriteOperation
    public LimitsRefresh refreshLimits() {
        if (limits == null) {
            return new LimitsRefresh(false, "Courier's limits are not configured in this application", null);
        }
        try {
            return new LimitsRefresh(true, null, limits.refresh());
        } catch (RuntimeException e) {
            return new LimitsRefresh(false, e.getMessage(), limits.limits());
        }
    }

    private static ServerDescriptor server(RpcServer server) {
        return new ServerDescriptor(server.isRunning(), CourierRpcServerLifecycle.address(server), server.connectionCount(),
                server.inFlightCount(), server.describeServices());
    }

    private static List<ConsumerDescriptor> consumers(RpcReferenceFactory references) {
        RpcClient client = references.client();
        Map<InetSocketAddress, Integer> connections = client.connectionCounts();
        Map<String, List<String>> routes = client.routingTable();
        Map<String, List<EndpointStatus>> statuses = client.endpointStatuses();
        List<ConsumerDescriptor> consumers = new ArrayList<>();
        for (Map.Entry<ReferenceConfig<?>, Set<String>> e : references.injectionPoints().entrySet()) {
            ReferenceConfig<?> config = e.getKey();
            String key = config.serviceKey().toString();
            List<String> routed = routes.getOrDefault(key, List.of());
            Map<String, Integer> targets = new LinkedHashMap<>();
            for (InetSocketAddress address : config.addresses()) {
                targets.put(format(address), connections.getOrDefault(address, 0));
            }
            if (config.addresses().isEmpty()) {
                // Providers found through the registry: the addresses the routing table names.
                connections.forEach((address, count) -> {
                    if (routed.stream().anyMatch(route -> route.contains(format(address)))) {
                        targets.put(format(address), count);
                    }
                });
            }
            Map<String, String> methodTimeouts = new LinkedHashMap<>();
            config.methodTimeouts().forEach((method, timeout) -> methodTimeouts.put(method, timeout.toString()));
            consumers.add(new ConsumerDescriptor(key, targets, routed,
                    String.valueOf(config.timeout() != null ? config.timeout() : client.options().requestTimeout()),
                    methodTimeouts, config.attemptTimeout() == null ? null : config.attemptTimeout().toString(),
                    config.retries(), loadBalancerName(config.loadBalancer()), config.cluster().name().toLowerCase(Locale.ROOT),
                    config.tag(), config.fallbackToUntagged(), config.async(), statuses.getOrDefault(key, List.of()),
                    List.copyOf(e.getValue())));
        }
        return consumers;
    }

    private static String loadBalancerName(LoadBalancerFactory factory) {
        return factory instanceof LoadBalancers builtIn ? builtIn.propertyName() : factory.getClass().getName();
    }

    static String format(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /**
     * What the endpoint returns.
     *
     * @param server the server, {@code null} when nothing is exported
     * @param consumers the references this application calls
     * @param limits the rate and concurrency limits in force
     */
    public record CourierDescriptor(ServerDescriptor server, List<ConsumerDescriptor> consumers,
            CourierRpcLimits.Limits limits) {
    }

    /**
     * The outcome of refreshing the limits.
     *
     * @param refreshed whether the limits were re-read and put in force
     * @param error why they were not, {@code null} when they were
     * @param limits the limits in force afterwards
     */
    public record LimitsRefresh(boolean refreshed, String error, CourierRpcLimits.Limits limits) {
    }

    /**
     * The server.
     *
     * @param running whether it accepts calls
     * @param address the address it listens on
     * @param connections the number of connected consumers
     * @param inFlight the number of calls being processed
     * @param services the method signatures of each exported service, by service key
     */
    public record ServerDescriptor(boolean running, String address, int connections, int inFlight,
            Map<String, List<String>> services) {
    }

    /**
     * One reference.
     *
     * @param service the service key called
     * @param targets the number of open connections to each provider address
     * @param routes the providers the client routes to, with their weight, tags, calls in flight and health
     * @param timeout the timeout of methods without their own
     * @param methodTimeouts per-method timeouts from configuration
     * @param attemptTimeout the per-attempt timeout of idempotent methods without their own, {@code null} for none
     * @param retries how many other providers a failed call may try
     * @param loadBalancer the load balancer name
     * @param cluster what a failed call does: failover, failfast or failsafe
     * @param tag the provider tag calls ask for, empty for none
     * @param fallbackToUntagged whether a tag no provider carries falls back to untagged providers
     * @param async whether plain methods return at once, leaving their future in {@code RpcContext.lastFuture()}
     * @param endpoints each provider's calls in flight, cool-down and outlier ejection
     * @param injectionPoints where the proxy is injected
     */
    public record ConsumerDescriptor(String service, Map<String, Integer> targets, List<String> routes, String timeout,
            Map<String, String> methodTimeouts, String attemptTimeout, int retries, String loadBalancer, String cluster,
            String tag, boolean fallbackToUntagged, boolean async, List<EndpointStatus> endpoints,
            List<String> injectionPoints) {
    }
}
