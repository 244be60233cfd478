package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.spring.LocalRpcServerPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code spring.threads.virtual.enabled=true}: on Java 21 or later every call runs on a virtual
 * thread of its own, at most {@code worker-threads} at once, and a full server answers
 * {@code SERVER_BUSY} at once. Runs on a JDK 21+ (the {@code jdk21} profile, which CI selects when
 * it finds one); {@link VirtualThreadsOnOlderJavaTests} checks the same properties on the JDK the build runs on.
 */
@SpringBootTest(classes = TestApplications.Provider.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0",
                "spring.threads.virtual.enabled=true", "courier.rpc.server.worker-threads=2",
                "courier.rpc.server.queue-size=100"})
@EnabledForJreRange(min = JRE.JAVA_21)
@Timeout(60)
class VirtualThreadsIntegrationTests {

    @LocalRpcServerPort
    int port;

    @Autowired
    Echo echo;

    private final RpcClient client = RpcClient.builder().build();

    @AfterEach
    void close() {
        echo.release.countDown();
        client.close();
    }

    @Test
    void callsRunOnVirtualThreadsBoundedByWorkerThreads() throws Exception {
        EchoService service = client.reference(ReferenceConfig.builder(EchoService.class)
                .address("127.0.0.1:" + port).retries(0).timeout(Duration.ofSeconds(20)).build());
        assertThat(service.threadName()).startsWith("courier-call-");

        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> service.hold("a"));
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> service.hold("b"));
        await().atMost(Duration.ofSeconds(10)).until(() -> echo.holding.get() == 2);

        RpcException busy = catchThrowableOfType(RpcException.class, service::threadName);
        assertThat(busy.code()).isEqualTo(RpcErrorCode.SERVER_BUSY);

        echo.release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("held:a");
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("held:b");
        assertThat(service.threadName()).startsWith("courier-call-");
    }
}
