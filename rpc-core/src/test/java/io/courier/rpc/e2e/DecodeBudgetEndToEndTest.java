package io.courier.rpc.e2e;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Reliability row 2: valid frames whose arguments decode to more than the provider allows are
 * refused with {@code RESOURCE_EXHAUSTED} before they are allocated, and the provider serves
 * everyone else.
 */
@Timeout(60)
class DecodeBudgetEndToEndTest {

    private final ServerClientFixture fixture = new ServerClientFixture();

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void argumentsOverTheLimitAreRefusedAndTheProviderKeepsServing() throws Exception {
        // An 8 MB frame of zero longs decodes to a 64 MB long[]; a 16 MiB limit per call refuses it.
        RpcServer server = fixture.server(new EchoServiceImpl(), ServerClientFixture.loopback()
                .maxDecodedCallSize(16L << 20).decodeBudget(48L << 20).build());
        // One call per connection: a consumer does not write a second 8 MB frame on a connection still
        // busy with the first (NOT_SENT), so eight connections stand for the four that sent two each.
        List<EchoService> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RpcClient client = fixture.client();
            callers.add(client.reference(ServerClientFixture.reference(server.address()).build()));
        }
        EchoService healthy = fixture.client().reference(ServerClientFixture.reference(server.address()).build());

        ExecutorService senders = Executors.newFixedThreadPool(callers.size());
        fixture.track(senders::shutdownNow);
        // One shared array (only read while encoding), so the test JVM holds 64 MB of it, not 512 MB.
        long[] zeros = new long[8_000_000];
        List<CompletableFuture<Object>> bombs = new ArrayList<>();
        for (EchoService caller : callers) {
            bombs.add(CompletableFuture.supplyAsync(() -> caller.echoObject(zeros), senders));
        }
        for (int i = 0; i < 50; i++) {
            assertThat(healthy.echo("ok " + i)).isEqualTo("ok " + i);
        }
        for (CompletableFuture<Object> bomb : bombs) {
            Throwable failure = catchThrowableOfType(Exception.class, () -> bomb.get(30, TimeUnit.SECONDS));
            RpcException refused = rootRpcException(failure);
            assertThat(refused.code()).isEqualTo(RpcErrorCode.RESOURCE_EXHAUSTED);
            assertThat(refused.getMessage()).contains("long[]");
        }
        // The refusals returned what they took: honest calls of several MB each still pass.
        for (int i = 0; i < 4; i++) {
            assertThat(healthy.length(new byte[5_000_000])).isEqualTo(5_000_000);
        }
        assertThat(server.connectionCount()).isEqualTo(9);
    }

    private static RpcException rootRpcException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RpcException e) {
                return e;
            }
        }
        throw new AssertionError("No RpcException in " + t, t);
    }
}
