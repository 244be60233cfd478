package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.cluster.EndpointStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;

import java.util.List;

/**
 * Gauges of the load on the application's Courier server and client, read from the numbers they
 * expose when a registry is scraped: {@value #SERVER_CONNECTIONS}, {@value #SERVER_ACTIVE_CALLS},
 * {@value #SERVER_QUEUE_SIZE}, {@value #CLIENT_CONNECTIONS} and {@value #CLIENT_EJECTED_ENDPOINTS}.
 *
 * <p>Thread-safe. Only the server or client the application has is measured.
 */
final class CourierRpcMeterBinder implements MeterBinder {

    /** Open consumer connections to the server. */
    static final String SERVER_CONNECTIONS = "courier.rpc.server.connections";

    /** Calls the server accepted and has not answered yet (running or waiting). */
    static final String SERVER_ACTIVE_CALLS = "courier.rpc.server.calls.active";

    /** Accepted calls waiting for a thread of the server's business executor. */
    static final String SERVER_QUEUE_SIZE = "courier.rpc.server.queue.size";

    /** Open client connections to providers. */
    static final String CLIENT_CONNECTIONS = "courier.rpc.client.connections";

    /** Providers that outlier detection has taken out of load balancing, over all references. */
    static final String CLIENT_EJECTED_ENDPOINTS = "courier.rpc.client.endpoints.ejected";

    private final ObjectProvider<RpcServer> server;
    private final ObjectProvider<RpcClient> client;

    CourierRpcMeterBinder(ObjectProvider<RpcServer> server, ObjectProvider<RpcClient> client) {
        this.server = server;
        this.client = client;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        server.ifAvailable(s -> {
            Gauge.builder(SERVER_CONNECTIONS, s, RpcServer::connectionCount).baseUnit("connections")
                    .description("Open consumer connections to the Courier server").register(registry);
            Gauge.builder(SERVER_ACTIVE_CALLS, s, RpcServer::inFlightCount).baseUnit("calls")
                    .description("Calls the Courier server accepted and has not answered yet").register(registry);
            Gauge.builder(SERVER_QUEUE_SIZE, s, RpcServer::queuedCount).baseUnit("calls")
                    .description("Accepted calls waiting for a thread of the Courier server's executor")
                    .register(registry);
        });
        client.ifAvailable(c -> {
            Gauge.builder(CLIENT_CONNECTIONS, c, CourierRpcMeterBinder::connections).baseUnit("connections")
                    .description("Open connections of the Courier client to providers").register(registry);
            Gauge.builder(CLIENT_EJECTED_ENDPOINTS, c, CourierRpcMeterBinder::ejected).baseUnit("providers")
                    .description("Providers that outlier detection has taken out of the Courier client's load "
                            + "balancing").register(registry);
        });
    }

    private static long ejected(RpcClient client) {
        return client.endpointStatuses().values().stream().flatMap(List::stream).filter(EndpointStatus::ejected)
                .count();
    }

    private static int connections(RpcClient client) {
        return client.connectionCounts().values().stream().mapToInt(Integer::intValue).sum();
    }
}
