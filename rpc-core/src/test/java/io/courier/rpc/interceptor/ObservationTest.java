package io.courier.rpc.interceptor;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.observation.DefaultRpcClientObservationConvention;
import io.courier.rpc.observation.DefaultRpcServerObservationConvention;
import io.courier.rpc.observation.ObservationClientInterceptor;
import io.courier.rpc.observation.ObservationServerInterceptor;
import io.courier.rpc.observation.RpcServerObservationContext;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class ObservationTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> receivedTraceIds = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    /** A stand-in for a tracer: injects a trace header on send, extracts it on receive. */
    private final class FakePropagation implements ObservationHandler<Observation.Context> {

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void onStart(Observation.Context context) {
            if (context instanceof SenderContext sender) {
                sender.getSetter().set(sender.getCarrier(), "traceparent",
                        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            } else if (context instanceof ReceiverContext receiver) {
                receivedTraceIds.add(String.valueOf(receiver.getGetter().get(receiver.getCarrier(), "traceparent")));
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof SenderContext || context instanceof ReceiverContext;
        }
    }

    @Test
    void recordsTimersOnBothSidesAndPropagatesTraceContext() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig()
                .observationHandler(new DefaultMeterObservationHandler(meters))
                .observationHandler(new FakePropagation());
        RpcServer server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(HopService.class, new HopServiceImpl(null))
                .interceptor(new ObservationServerInterceptor(registry)).build().start();
        closeables.add(server);
        RpcClient client = RpcClient.builder().interceptor(new ObservationClientInterceptor(registry)).build();
        closeables.add(client);
        HopService hops = client.reference(ReferenceConfig.builder(HopService.class)
                .address("127.0.0.1:" + server.address().getPort()).build());

        hops.ping("a");
        hops.ping("b");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(meters.get("courier.rpc.client").tag("rpc.method", "ping").tag("rpc.status", "OK")
                    .tag("rpc.service", HopService.class.getName()).timer().count()).isEqualTo(2);
            assertThat(meters.get("courier.rpc.server").tag("rpc.method", "ping").tag("rpc.status", "OK")
                    .timer().count()).isEqualTo(2);
        });
        assertThat(receivedTraceIds).containsExactly(
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    @Test
    void customConventionsRenameTheTimerAndAddKeys() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        RpcServer server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(HopService.class, new HopServiceImpl(null))
                .interceptor(new ObservationServerInterceptor(registry, new DefaultRpcServerObservationConvention() {
                    @Override
                    public KeyValues getLowCardinalityKeyValues(RpcServerObservationContext context) {
                        return super.getLowCardinalityKeyValues(context).and("region", "eu-west");
                    }
                })).build().start();
        closeables.add(server);
        RpcClient client = RpcClient.builder().interceptor(new ObservationClientInterceptor(registry,
                new DefaultRpcClientObservationConvention() {
                    @Override
                    public String getName() {
                        return "acme.calls";
                    }
                })).build();
        closeables.add(client);
        HopService hops = client.reference(ReferenceConfig.builder(HopService.class)
                .address("127.0.0.1:" + server.address().getPort()).build());

        hops.ping("a");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(meters.get("acme.calls").tag("rpc.method", "ping").tag("rpc.status", "OK").timer().count())
                    .isEqualTo(1);
            assertThat(meters.get("courier.rpc.server").tag("region", "eu-west").tag("rpc.method", "ping")
                    .timer().count()).isEqualTo(1);
        });
        assertThat(meters.find("courier.rpc.client").timer()).isNull();
    }
}
