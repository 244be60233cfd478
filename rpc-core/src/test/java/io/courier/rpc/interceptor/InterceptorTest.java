package io.courier.rpc.interceptor;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcFuture;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.RpcErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@Timeout(30)
class InterceptorTest {

    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private ServerInterceptor recordingServer(String name) {
        return chain -> {
            events.add("server:" + name + ":before");
            return chain.proceed(chain.request()).whenComplete((r, t) -> events.add("server:" + name + ":after"));
        };
    }

    private ClientInterceptor recordingClient(String name) {
        return chain -> {
            events.add("client:" + name + ":before");
            return chain.proceed(chain.request()).whenComplete((r, t) -> events.add("client:" + name + ":after"));
        };
    }

    private RpcServer server(RpcServer.Builder builder) {
        RpcServer server = builder.options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(HopService.class, new HopServiceImpl(null)).build().start();
        closeables.add(server);
        return server;
    }

    private HopService client(RpcServer server, RpcClient.Builder builder) {
        RpcClient client = builder.build();
        closeables.add(client);
        return client.reference(ReferenceConfig.builder(HopService.class)
                .address("127.0.0.1:" + server.address().getPort()).retries(0).build());
    }

    @Test
    void interceptorsRunInOrderOnBothSides() {
        RpcServer server = server(RpcServer.builder().interceptor(recordingServer("a")).interceptor(recordingServer("b")));
        HopService hops = client(server, RpcClient.builder().interceptor(recordingClient("1")).interceptor(recordingClient("2")));

        assertThat(hops.ping("x")).isEqualTo("x");

        assertThat(events).containsExactly(
                "client:1:before", "client:2:before",
                "server:a:before", "server:b:before", "server:b:after", "server:a:after",
                "client:2:after", "client:1:after");
    }

    @Test
    void interceptorsCanShortCircuitAndDecorate() {
        ServerInterceptor upper = chain -> chain.proceed(chain.request())
                .thenApply(r -> RpcResponse.ofValue(String.valueOf(r.value()).toUpperCase(), r.attachments()));
        ClientInterceptor deny = new ClientInterceptor() {
            @Override
            public CompletableFuture<RpcResponse> intercept(Chain chain) {
                return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.UNAUTHENTICATED, "no token"));
            }

            @Override
            public boolean appliesTo(io.courier.rpc.invoke.MethodMetadata method) {
                return method.name().equals("attachment");
            }
        };
        RpcServer server = server(RpcServer.builder().interceptor(upper));
        HopService hops = client(server, RpcClient.builder().interceptor(deny));

        assertThat(hops.ping("quiet")).isEqualTo("QUIET");
        RpcException e = catchThrowableOfType(RpcException.class, () -> hops.attachment("k"));
        assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
    }

    @Test
    void serverInterceptorFailureAnswersWithItsCode() {
        ServerInterceptor refuse = chain -> CompletableFuture.failedFuture(
                new RpcException(RpcErrorCode.UNAUTHENTICATED, "who are you"));
        RpcServer server = server(RpcServer.builder().interceptor(refuse));
        HopService hops = client(server, RpcClient.builder());
        RpcException e = catchThrowableOfType(RpcException.class, () -> hops.ping("x"));
        assertThat(e.code()).isEqualTo(RpcErrorCode.UNAUTHENTICATED);
        assertThat(e.getMessage()).isEqualTo("who are you");
    }

    @Test
    void attachmentsTravelBothWaysOnSyncCalls() {
        RpcServer server = server(RpcServer.builder());
        HopService hops = client(server, RpcClient.builder());
        try (RpcContext.Scope ignored = RpcContext.withAttachment("tenant", "acme")) {
            assertThat(hops.attachment("tenant")).isEqualTo("acme");
            assertThat(RpcContext.responseAttachments()).containsEntry("echo-tenant", "acme");
        }
        // The scope is closed: nothing leaks into the next call.
        assertThat(hops.attachment("tenant")).isEqualTo("<none>");
    }

    @Test
    void attachmentsTravelBothWaysOnAsyncCalls() throws Exception {
        RpcServer server = server(RpcServer.builder());
        HopService hops = client(server, RpcClient.builder());
        CompletableFuture<String> future;
        try (RpcContext.Scope ignored = RpcContext.withAttachment("user", "bob")) {
            future = hops.attachmentAsync("user");
        }
        assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("bob");
        assertThat(future).isInstanceOf(RpcFuture.class);
        assertThat(((RpcFuture<String>) future).responseAttachments()).containsEntry("echo-user", "bob");
    }

    @Test
    void contextCanBeCarriedToAnotherThread() throws Exception {
        RpcServer server = server(RpcServer.builder());
        HopService hops = client(server, RpcClient.builder());
        Runnable task;
        CompletableFuture<String> result = new CompletableFuture<>();
        try (RpcContext.Scope ignored = RpcContext.withAttachment("trace-id", "t-1")) {
            task = RpcContext.current().wrap(() -> result.complete(hops.attachment("trace-id")));
        }
        Thread thread = new Thread(task);
        thread.start();
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("t-1");
        thread.join(5000);
    }

    @Test
    void clientInterceptorCanAddAttachments() {
        ClientInterceptor tenant = chain -> chain.proceed(chain.request().withAttachments(Map.of("tenant", "from-interceptor")));
        RpcServer server = server(RpcServer.builder());
        HopService hops = client(server, RpcClient.builder().interceptor(tenant));
        assertThat(hops.attachment("tenant")).isEqualTo("from-interceptor");
    }

    @Test
    void emptyChainCostsNothingVisible() {
        RpcServer server = server(RpcServer.builder());
        HopService hops = client(server, RpcClient.builder());
        assertThat(hops.ping("plain")).isEqualTo("plain");
        assertThat(events).isEmpty();
    }
}
