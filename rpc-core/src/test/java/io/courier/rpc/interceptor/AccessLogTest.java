package io.courier.rpc.interceptor;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class AccessLogTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger(AccessLogInterceptor.LOGGER_NAME);

    @BeforeEach
    void attach() {
        appender.start();
        accessLogger.addAppender(appender);
    }

    @AfterEach
    void close() throws Exception {
        accessLogger.detachAppender(appender);
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private HopService start(AccessLogInterceptor interceptor) {
        RpcServer server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(HopService.class, new HopServiceImpl(null)).interceptor(interceptor).build().start();
        closeables.add(server);
        RpcClient client = RpcClient.builder().build();
        closeables.add(client);
        return client.reference(ReferenceConfig.builder(HopService.class)
                .address("127.0.0.1:" + server.address().getPort()).build());
    }

    private List<String> lines(int expected) {
        await().atMost(Duration.ofSeconds(5)).until(() -> appender.list.size() >= expected);
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void logsOneLinePerCallWithoutArguments() {
        HopService hops = start(new AccessLogInterceptor(1.0, false));
        try (RpcContext.Scope ignored = RpcContext.withAttachment("traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")) {
            hops.ping("secret-value");
        }
        List<String> lines = lines(1);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .startsWith(HopService.class.getName() + "#ping remote=/127.0.0.1:")
                .contains("status=OK", "duration=", "trace=4bf92f3577b34da6a3ce929d0e0e4736")
                .doesNotContain("secret-value");
    }

    @Test
    void logsArgumentsOnlyWhenEnabled() {
        HopService hops = start(new AccessLogInterceptor(1.0, true));
        hops.ping("visible-value");
        assertThat(lines(1).get(0)).contains("args=[visible-value]", "trace=-");
    }

    @Test
    void sampleRateZeroLogsNothing() {
        HopService hops = start(new AccessLogInterceptor(0.0, false));
        for (int i = 0; i < 20; i++) {
            hops.ping("x");
        }
        assertThat(appender.list).isEmpty();
    }

    @Test
    void writesTheFieldsAsKeyValuePairs() {
        HopService hops = start(new AccessLogInterceptor(1.0, true));
        try (RpcContext.Scope ignored = RpcContext.withAttachment("traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")) {
            hops.ping("shown");
        }
        lines(1);
        Map<String, Object> fields = appender.list.get(0).getKeyValuePairs().stream()
                .collect(Collectors.toMap(pair -> pair.key, pair -> pair.value));
        assertThat(fields).containsEntry("rpc.service", HopService.class.getName())
                .containsEntry("rpc.method", "ping")
                .containsEntry("rpc.status", "OK")
                .containsEntry("rpc.trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")
                .containsEntry("rpc.args", "[shown]")
                .doesNotContainKey("rpc.stream.messages");
        assertThat((String) fields.get("rpc.remote")).startsWith("/127.0.0.1:");
        assertThat(fields.get("rpc.duration_ms")).isInstanceOf(Double.class);
    }
}
