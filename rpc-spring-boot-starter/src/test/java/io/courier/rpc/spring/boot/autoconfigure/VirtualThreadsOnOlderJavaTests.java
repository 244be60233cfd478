package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.spring.LocalRpcServerPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Below Java 21 Boot does not turn virtual threads on, and the server keeps its pool. */
@SpringBootTest(classes = TestApplications.Provider.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0",
                "spring.threads.virtual.enabled=true"})
@EnabledForJreRange(max = JRE.JAVA_20)
@Timeout(60)
class VirtualThreadsOnOlderJavaTests {

    @LocalRpcServerPort
    int port;

    @Test
    void callsRunOnThePool() {
        try (RpcClient client = RpcClient.builder().build()) {
            EchoService service = client.reference(EchoService.class, "127.0.0.1:" + port);
            assertThat(service.threadName()).startsWith("courier-server-worker-");
        }
    }
}
