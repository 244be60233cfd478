package io.courier.rpc.interceptor;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.RpcErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** A → B → C: the caller's budget shrinks along the chain and the call fails at the hop that runs out. */
@Timeout(30)
class DeadlineTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HopServiceImpl c = new HopServiceImpl(null);
    private HopServiceImpl b;

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private RpcServer start(HopService impl) {
        RpcServer server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(HopService.class, impl).build().start();
        closeables.add(server);
        return server;
    }

    private HopService reference(RpcServer server, Duration timeout) {
        RpcClient client = RpcClient.builder().build();
        closeables.add(client);
        return client.reference(ReferenceConfig.builder(HopService.class)
                .address("127.0.0.1:" + server.address().getPort()).timeout(timeout).retries(0).build());
    }

    private HopService chain(Duration callerTimeout) {
        RpcServer serverC = start(c);
        // B's own reference to C allows 10 s: only the propagated deadline can make it shorter.
        b = new HopServiceImpl(reference(serverC, Duration.ofSeconds(10)));
        RpcServer serverB = start(b);
        return reference(serverB, callerTimeout);
    }

    @Test
    void remainingBudgetShrinksAlongTheChain() {
        HopService a = chain(Duration.ofMillis(3000));
        String path = a.hop("x", 300);

        Matcher m = Pattern.compile("x@(\\d+) > x\\+@(\\d+)").matcher(path);
        assertThat(m.matches()).as(path).isTrue();
        long budgetAtB = Long.parseLong(m.group(1));
        long budgetAtC = Long.parseLong(m.group(2));
        assertThat(budgetAtB).isBetween(2000L, 3000L);
        // C got what B had left after working 300 ms, not B's configured 10 s.
        assertThat(budgetAtC).isLessThanOrEqualTo(budgetAtB - 300).isPositive();
    }

    @Test
    void providerTimeoutCapsTheCallersBudget() {
        RpcServer server = RpcServer.builder().options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .service(io.courier.rpc.config.ServiceConfig.builder(HopService.class, c)
                        .timeout(Duration.ofMillis(250)).build())
                .build().start();
        closeables.add(server);
        String path = reference(server, Duration.ofSeconds(10)).hop("x", 0);
        assertThat(Long.parseLong(path.substring(path.indexOf('@') + 1))).isBetween(1L, 250L);
    }

    @Test
    void hopThatRunsOutOfBudgetFailsWithoutCallingDownstream() {
        HopService a = chain(Duration.ofMillis(400));

        RpcException e = catchThrowableOfType(RpcException.class, () -> a.hop("x", 600));
        assertThat(e.code()).isEqualTo(RpcErrorCode.TIMEOUT);

        // B finished its 600 ms of work after A gave up, found no budget left and never called C.
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.failures.isEmpty());
        assertThat(b.failures.get(0)).isInstanceOfSatisfying(RpcException.class,
                f -> assertThat(f.code()).isEqualTo(RpcErrorCode.DEADLINE_EXCEEDED));
        assertThat(c.calls.get()).isZero();
    }
}
