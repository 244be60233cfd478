package io.courier.rpc.e2e;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.interceptor.RpcExceptionMapper;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.invoke.RpcResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Exception mappers turn business exceptions into codes callers can act on; others stay APPLICATION_ERROR. */
@Timeout(30)
class ExceptionMappingTest {

    private final ServerClientFixture fixture = new ServerClientFixture();
    private final List<String> seenByInterceptor = new CopyOnWriteArrayList<>();
    private EchoService echo;

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private void start(RpcExceptionMapper... mappers) {
        ServerInterceptor recorder = chain -> chain.proceed(chain.request()).whenComplete((RpcResponse r, Throwable e) ->
                seenByInterceptor.add(e != null && e.getCause() instanceof RpcException rpc ? rpc.code().name()
                        : r != null && r.hasException() ? r.exception().getClass().getSimpleName() : "ok"));
        RpcServer.Builder builder = RpcServer.builder().options(ServerClientFixture.loopback().build())
                .service(EchoService.class, new EchoServiceImpl()).interceptor(recorder);
        for (RpcExceptionMapper mapper : mappers) {
            builder.exceptionMapper(mapper);
        }
        RpcServer server = fixture.track(builder.build().start());
        RpcClient client = fixture.client();
        echo = client.reference(ServerClientFixture.reference(server.address()).retries(0).build());
    }

    @Test
    void aMappedExceptionReachesTheCallerWithItsCodeAndMessage() {
        start(RpcExceptionMapper.of(EchoService.ItemNotFoundException.class, RpcErrorCode.NOT_FOUND),
                RpcExceptionMapper.of(IllegalStateException.class, RpcErrorCode.INVALID_ARGUMENT));

        RpcException notFound = catchThrowableOfType(RpcException.class, () -> echo.failChecked("no item 7"));
        assertThat(notFound.code()).isEqualTo(RpcErrorCode.NOT_FOUND);
        assertThat(notFound).hasMessageContaining("no item 7");
        RpcException invalid = catchThrowableOfType(RpcException.class, () -> echo.failRuntime("bad size"));
        assertThat(invalid.code()).isEqualTo(RpcErrorCode.INVALID_ARGUMENT);
        assertThat(invalid.isRetrySafe()).isFalse();
        // Outer interceptors see the mapped code.
        assertThat(seenByInterceptor).containsExactly("NOT_FOUND", "INVALID_ARGUMENT");
    }

    @Test
    void aFailedFutureIsMappedToo() {
        start(RpcExceptionMapper.of(RuntimeException.class, RpcErrorCode.INVALID_ARGUMENT));

        CompletableFuture<String> future = echo.failAsync("later");
        ExecutionException e = catchThrowableOfType(ExecutionException.class,
                () -> future.get(5, java.util.concurrent.TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOfSatisfying(RpcException.class,
                rpc -> assertThat(rpc.code()).isEqualTo(RpcErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void theFirstMapperThatMapsWinsAndUnmappedExceptionsStayApplicationErrors() {
        start((exception, method) -> null,
                RpcExceptionMapper.of(EchoService.ItemNotFoundException.class, RpcErrorCode.NOT_FOUND),
                RpcExceptionMapper.of(EchoService.ItemNotFoundException.class, RpcErrorCode.INVALID_ARGUMENT));

        assertThat(catchThrowableOfType(RpcException.class, () -> echo.failChecked("x")).code())
                .isEqualTo(RpcErrorCode.NOT_FOUND);
        IllegalStateException unmapped = catchThrowableOfType(IllegalStateException.class, () -> echo.failRuntime("y"));
        assertThat(unmapped).hasMessage("y");
        assertThat(echo.echo("still serving")).isEqualTo("still serving");
    }
}
