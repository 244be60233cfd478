package io.courier.rpc.spring.boot.autoconfigure;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Spring Boot's structured logging ({@code logging.structured.format.console=logstash}), each
 * access log line is a JSON document whose fields include the call's service, method, status and
 * duration, next to the human-readable message.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class StructuredAccessLogTests {

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Echo.class)
    static class App {
    }

    @AfterEach
    void restoreTestLogging() throws JoranException {
        // Back to logback-test.xml for the tests that run later in this JVM.
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        logging.reset();
        new ContextInitializer(logging).autoConfig();
    }

    @Test
    void accessLogFieldsAreJsonFields(CapturedOutput output) {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0",
                        "courier.rpc.access-log.enabled=true", "spring.main.banner-mode=off",
                        "logging.config=classpath:logback-structured.xml",
                        "logging.structured.format.console=logstash")
                .run()) {
            EchoService echo = app.getBean(RpcClient.class).reference(EchoService.class,
                    "127.0.0.1:" + app.getBean(RpcServer.class).address().getPort());
            assertThat(echo.echo("structured")).isEqualTo("echo:structured");

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut().lines()
                    .filter(line -> line.contains("\"logger_name\":\"io.courier.rpc.access\"")))
                    .anySatisfy(line -> assertThat(line).startsWith("{")
                            .contains("\"message\":\"" + EchoService.class.getName() + "#echo remote=/127.0.0.1:")
                            .contains("\"rpc.service\":\"" + EchoService.class.getName() + "\"")
                            .contains("\"rpc.method\":\"echo\"", "\"rpc.status\":\"OK\"", "\"rpc.duration_ms\":",
                                    "\"rpc.trace_id\":\"")));
        }
    }
}
