package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcContext;
import io.courier.rpc.spring.LocalRpcServerPort;
import io.courier.rpc.spring.RpcService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Component;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@code @Async} method called from a service method sees the caller's attachments when the
 * application propagates context to its task executor (a {@link ContextPropagatingTaskDecorator}
 * bean, which Spring Boot applies to {@code applicationTaskExecutor}): Courier registers
 * {@link io.courier.rpc.RpcContextThreadLocalAccessor} with Micrometer's context propagation.
 */
@SpringBootTest(classes = AsyncContextPropagationTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0"})
@Timeout(60)
class AsyncContextPropagationTests {

    /** Reads the caller's {@code tenant} attachment. */
    public interface TenantService {

        /** Reads it in an {@code @Async} method, on a task executor thread. */
        String tenantFromAsyncMethod();
    }

    @LocalRpcServerPort
    int port;

    @Autowired
    RpcClient client;

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableAsync
    @Import({TenantProvider.class, AsyncTenantReader.class})
    static class App {

        @Bean
        ContextPropagatingTaskDecorator contextPropagatingTaskDecorator() {
            return new ContextPropagatingTaskDecorator();
        }
    }

    @RpcService
    static class TenantProvider implements TenantService {

        private final AsyncTenantReader reader;

        TenantProvider(AsyncTenantReader reader) {
            this.reader = reader;
        }

        @Override
        public String tenantFromAsyncMethod() {
            try {
                return reader.tenant().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Component
    static class AsyncTenantReader {

        @Async
        public CompletableFuture<String> tenant() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName() + ":"
                    + RpcContext.current().attachment("tenant"));
        }
    }

    @Test
    void asyncMethodSeesTheCallersAttachments() {
        TenantService tenants = client.reference(TenantService.class, "127.0.0.1:" + port);
        try (RpcContext.Scope ignored = RpcContext.withAttachment("tenant", "acme")) {
            assertThat(tenants.tenantFromAsyncMethod()).doesNotStartWith("courier-").endsWith(":acme");
        }
    }
}
