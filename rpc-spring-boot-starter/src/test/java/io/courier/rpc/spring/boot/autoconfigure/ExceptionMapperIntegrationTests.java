package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.interceptor.RpcExceptionMapper;
import io.courier.rpc.spring.LocalRpcServerPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** An {@link RpcExceptionMapper} bean maps a provider's business exceptions to error codes. */
@SpringBootTest(classes = ExceptionMapperIntegrationTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"courier.rpc.server.host=127.0.0.1", "courier.rpc.server.port=0"})
@Timeout(60)
class ExceptionMapperIntegrationTests {

    @LocalRpcServerPort
    int port;

    /** Exports {@link Echo}, whose fail() throws IllegalArgumentException, and maps that. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Echo.class)
    static class App {

        @Bean
        RpcExceptionMapper invalidArguments() {
            return RpcExceptionMapper.of(IllegalArgumentException.class, RpcErrorCode.INVALID_ARGUMENT);
        }
    }

    @Test
    void aMapperBeanDecidesTheCode() {
        try (RpcClient client = RpcClient.builder().build()) {
            EchoService echo = client.reference(EchoService.class, "127.0.0.1:" + port);
            RpcException e = catchThrowableOfType(RpcException.class, () -> echo.fail("bad input"));
            assertThat(e.code()).isEqualTo(RpcErrorCode.INVALID_ARGUMENT);
            assertThat(e).hasMessageContaining("bad input");
        }
    }
}
