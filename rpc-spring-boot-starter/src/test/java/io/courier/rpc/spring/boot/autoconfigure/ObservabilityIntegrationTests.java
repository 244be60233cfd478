package io.courier.rpc.spring.boot.autoconfigure;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.interceptor.AccessLogInterceptor;
import io.courier.rpc.interceptor.AdmissionControl;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.observation.RpcClientObservationContext;
import io.courier.rpc.observation.RpcServerObservationContext;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.spring.RpcReference;
import io.courier.rpc.spring.RpcService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A provider and a consumer application with Boot's own Micrometer auto-configuration (a
 * {@link SimpleMeterRegistry}, Brave tracing) and interceptor beans, over a real socket: the
 * order of the chains, the access log, the timers of both sides and one trace across both.
 */
class ObservabilityIntegrationTests {

    private static ConfigurableApplicationContext provider;
    private static ConfigurableApplicationContext consumer;

    @BeforeAll
    static void start() {
        provider = new SpringApplicationBuilder(Provider.class).web(WebApplicationType.NONE)
                .properties("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0",
                        "courier.rpc.access-log.enabled=true", "management.tracing.sampling.probability=1.0",
                        "spring.main.banner-mode=off")
                .run();
        consumer = new SpringApplicationBuilder(Consumer.class).web(WebApplicationType.NONE)
                .properties("courier.rpc.registry.address=direct://127.0.0.1:"
                        + provider.getBean(RpcServer.class).address().getPort(),
                        "courier.rpc.consumer.retries=0", "management.tracing.sampling.probability=1.0",
                        "spring.main.banner-mode=off")
                .run();
    }

    @AfterAll
    static void stop() {
        if (consumer != null) {
            consumer.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void interceptorBeansRunInOrderInsideTheObservationAndTheAccessLog() {
        List<String> calls = provider.getBean(ServerInterceptors.class).calls;
        List<String> clientCalls = consumer.getBean(ClientInterceptors.class).calls;
        calls.clear();
        clientCalls.clear();
        ListAppender<ILoggingEvent> accessLog = captureAccessLog();
        try {
            TracedService traced = consumer.getBean(Caller.class).traced;
            assertThat(traced.echo("ordered")).isEqualTo("echo:ordered");
            assertThat(clientCalls).containsExactly("client-1 observed", "client-2");
            assertThat(calls).containsExactly("admission", "server-1 observed", "server-2");

            // The first interceptor bean refuses the call: the access log, outside it, still has a line.
            assertThatThrownBy(traced::refused).isInstanceOfSatisfying(RpcException.class,
                    e -> assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(accessLog.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).startsWith(TracedService.class.getName() + "#echo ")
                            .contains("status=OK"))
                    .anySatisfy(line -> assertThat(line).startsWith(TracedService.class.getName() + "#refused ")
                            .contains("status=UNAUTHENTICATED")));
        } finally {
            detach(accessLog);
        }
    }

    @Test
    void bothSidesRecordTimersInTheSimpleMeterRegistry() {
        TracedService traced = consumer.getBean(Caller.class).traced;
        traced.echo("measured");
        assertThatThrownBy(traced::refused).isInstanceOf(RpcException.class);

        MeterRegistry providerMeters = provider.getBean(MeterRegistry.class);
        MeterRegistry consumerMeters = consumer.getBean(MeterRegistry.class);
        assertThat(providerMeters).isInstanceOf(SimpleMeterRegistry.class);
        assertThat(consumerMeters).isInstanceOf(SimpleMeterRegistry.class);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(count(providerMeters, "courier.rpc.server", "echo", "OK")).isPositive();
            assertThat(count(providerMeters, "courier.rpc.server", "refused", "UNAUTHENTICATED")).isPositive();
            assertThat(count(consumerMeters, "courier.rpc.client", "echo", "OK")).isPositive();
            assertThat(count(consumerMeters, "courier.rpc.client", "refused", "UNAUTHENTICATED")).isPositive();
        });
    }

    @Test
    void consumerAndProviderShareTheTrace() {
        ObservationRegistry observations = consumer.getBean(ObservationRegistry.class);
        Tracer tracer = consumer.getBean(Tracer.class);
        TracedService traced = consumer.getBean(Caller.class).traced;
        ListAppender<ILoggingEvent> accessLog = captureAccessLog();
        try {
            String[] ids = new String[2];
            Observation.createNotStarted("test.operation", observations).observe(() -> {
                ids[0] = tracer.currentSpan().context().traceId();
                ids[1] = traced.traceId();
            });
            assertThat(ids[0]).isNotBlank();
            assertThat(ids[1]).isEqualTo(ids[0]);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(accessLog.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).contains("#traceId ").contains("trace=" + ids[0])));
        } finally {
            detach(accessLog);
        }
    }

    private static double count(MeterRegistry meters, String name, String method, String status) {
        var timer = meters.find(name).tag("rpc.service", TracedService.class.getName()).tag("rpc.method", method)
                .tag("rpc.status", status).timer();
        return timer == null ? 0 : timer.count();
    }

    /** Boot re-initializes logging when a context starts, so the appender goes on after both have. */
    private static ListAppender<ILoggingEvent> captureAccessLog() {
        Logger logger = (Logger) LoggerFactory.getLogger(AccessLogInterceptor.LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    private static void detach(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(AccessLogInterceptor.LOGGER_NAME)).detachAppender(appender);
        appender.stop();
    }

    // ---- the applications -------------------------------------------------------------------

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({TracedProvider.class, ServerInterceptors.class})
    static class Provider {
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({Caller.class, ClientInterceptors.class})
    static class Consumer {
    }

    @RpcService
    static class TracedProvider implements TracedService {

        private final Tracer tracer;

        TracedProvider(Tracer tracer) {
            this.tracer = tracer;
        }

        @Override
        public String echo(String text) {
            return "echo:" + text;
        }

        @Override
        public String traceId() {
            return tracer.currentSpan().context().traceId();
        }

        @Override
        public String refused() {
            throw new IllegalStateException("the interceptor should have refused this call");
        }
    }

    /** Records the order in which the provider's interceptor beans run. */
    static class ServerInterceptors {

        final List<String> calls = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        ServerInterceptor secondServerInterceptor() {
            return chain -> {
                calls.add("server-2");
                return chain.proceed(chain.request());
            };
        }

        @Bean
        @Order(1)
        ServerInterceptor firstServerInterceptor(ObservationRegistry observations) {
            return chain -> {
                Observation current = observations.getCurrentObservation();
                calls.add("server-1" + (current != null && current.getContext() instanceof RpcServerObservationContext
                        ? " observed" : " not observed"));
                if (chain.request().methodName().equals("refused")) {
                    return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.UNAUTHENTICATED, "no token"));
                }
                return chain.proceed(chain.request());
            };
        }

        @Bean
        AdmissionControl recordingAdmissionControl() {
            return method -> {
                calls.add("admission");
                return null;
            };
        }
    }

    /** Records the order in which the consumer's interceptor beans run. */
    static class ClientInterceptors {

        final List<String> calls = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        ClientInterceptor secondClientInterceptor() {
            return chain -> {
                calls.add("client-2");
                return chain.proceed(chain.request());
            };
        }

        @Bean
        @Order(1)
        ClientInterceptor firstClientInterceptor(ObservationRegistry observations) {
            return chain -> {
                Observation current = observations.getCurrentObservation();
                calls.add("client-1" + (current != null && current.getContext() instanceof RpcClientObservationContext
                        ? " observed" : " not observed"));
                return chain.proceed(chain.request());
            };
        }
    }

    @Component
    static class Caller {
        @RpcReference
        TracedService traced;
    }
}
