package io.courier.rpc.spring.test;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.config.Transport;
import io.courier.rpc.spring.test.users.User;
import io.courier.rpc.spring.test.users.UserService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link RpcFaults} in plain Java: installed by hand on a server and a client on the local transport. */
@Timeout(60)
class RpcFaultsTests {

    private final RpcFaults faults = new RpcFaults();
    private final AtomicInteger served = new AtomicInteger();
    private RpcServer server;
    private RpcClient client;

    @BeforeEach
    void start() {
        UserService users = new UserService() {
            @Override
            public User get(long id) {
                served.incrementAndGet();
                return new User(id, "real");
            }

            @Override
            public List<User> list() {
                return List.of();
            }

            @Override
            public long save(User user) {
                served.incrementAndGet();
                return 1;
            }
        };
        server = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).transport(Transport.LOCAL)
                        .shutdownGrace(Duration.ofSeconds(1)).build())
                .service(UserService.class, users)
                .interceptor(faults.serverInterceptor())
                .build().start();
        client = RpcClient.builder()
                .options(ClientOptions.builder().transport(Transport.LOCAL).requestTimeout(Duration.ofSeconds(5)).build())
                .interceptor(faults.clientInterceptor())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private UserService reference(int retries) {
        return client.reference(ReferenceConfig.builder(UserService.class)
                .address("127.0.0.1:" + server.address().getPort()).retries(retries).build());
    }

    @Test
    void failoverRetriesAScriptedRefusalAndListsTheAttempts() {
        faults.on(UserService.class, "get").next(3).fail(RpcErrorCode.SERVER_BUSY);
        UserService users = reference(2);

        RpcException busy = catchThrowableOfType(RpcException.class, () -> users.get(1));

        assertThat(busy.code()).isEqualTo(RpcErrorCode.SERVER_BUSY);
        assertThat(busy.attempts()).hasSize(3).allSatisfy(a -> assertThat(a.phase()).isEqualTo(RpcException.Phase.QUEUE));
        assertThat(served).hasValue(0);
        assertThat(users.get(1)).isEqualTo(new User(1, "real"));
    }

    @Test
    void dropAfterSendIsReportedAsOutcomeUnknownAfterTheProviderRan() {
        RpcFaults.Fault drop = faults.on(UserService.class, "save").dropAfterSend();
        UserService users = reference(2);

        RpcException lost = catchThrowableOfType(RpcException.class, () -> users.save(new User(0, "x")));

        assertThat(lost.code()).isEqualTo(RpcErrorCode.OUTCOME_UNKNOWN);
        assertThat(lost.outcomeUnknown()).isTrue();
        assertThat(drop.hits()).isEqualTo(1);
        assertThat(served).hasValue(1);
    }

    @Test
    void aLimitedScriptTakesExactlyItsCallsUnderConcurrency() throws Exception {
        RpcFaults.Fault busy = faults.on(UserService.class, "get").next(10).fail(RpcErrorCode.SERVER_BUSY);
        UserService users = reference(0);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        users.get(1);
                        return true;
                    } catch (RpcException e) {
                        return false;
                    }
                }, callers));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(calls.stream().filter(c -> !c.join()).count()).isEqualTo(10);
        } finally {
            callers.shutdownNow();
        }
        assertThat(busy.hits()).isEqualTo(10);
        assertThat(served).hasValue(40);
    }

    @Test
    void resetRemovesEveryScript() {
        faults.on(UserService.class, "get").fail(RpcErrorCode.SERVER_BUSY);
        faults.reset();

        assertThat(reference(0).get(3)).isEqualTo(new User(3, "real"));
    }
}
