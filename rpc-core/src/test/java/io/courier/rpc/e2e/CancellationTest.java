package io.courier.rpc.e2e;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.RpcErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A caller giving up reaches the provider: cancelled calls free their pending slot at once, are
 * skipped when still queued, and mark their context cancelled when running.
 */
@Timeout(60)
class CancellationTest {

    private final ServerClientFixture fixture = new ServerClientFixture();
    private final WaitServiceImpl waits = new WaitServiceImpl();

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private RpcServer server(int threads, int queue, Duration serviceTimeout) {
        ServiceConfig.Builder<WaitService> service = ServiceConfig.builder(WaitService.class, waits);
        if (serviceTimeout != null) {
            service.timeout(serviceTimeout);
        }
        ServerOptions options = ServerClientFixture.loopback().workerThreads(threads).queueSize(queue).build();
        RpcServer server = RpcServer.builder().options(options).service(service.build()).build().start();
        fixture.track(server);
        return server;
    }

    private WaitService reference(RpcClient client, InetSocketAddress address) {
        return client.reference(ReferenceConfig.builder(WaitService.class)
                .address(address.getHostString() + ":" + address.getPort()).timeout(Duration.ofSeconds(30)).build());
    }

    @Test
    void cancelledCallsFreeTheirPendingSlotsAtOnce() {
        RpcServer server = server(100, 400, null);
        RpcClient client = fixture.client(ClientOptions.builder().maxPendingCalls(150).build());
        WaitService service = reference(client, server.address());

        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            calls.add(service.blockAsync(i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> waits.started.get() == 100);
        CompletableFuture<String> overQuota = service.blockAsync(-1);
        assertThatThrownBy(overQuota::join).hasCauseInstanceOf(RpcException.class)
                .cause().satisfies(e -> assertThat(((RpcException) e).code()).isEqualTo(RpcErrorCode.NOT_SENT));

        calls.forEach(call -> assertThat(call.cancel(true)).isTrue());

        // No response or timer was needed to free the slots: a full quota of new calls is sent at once.
        List<CompletableFuture<String>> more = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            more.add(service.blockAsync(1000 + i));
        }
        assertThat(more).allSatisfy(call -> assertThat(call).isNotDone());
        more.forEach(call -> call.cancel(true));

        await().atMost(Duration.ofSeconds(20)).until(() -> server.inFlightCount() == 0);
        assertThat(waits.cancellations.get()).isEqualTo(waits.started.get());
        assertThat(waits.sawCancelledFlag.get()).isEqualTo(waits.started.get());
        assertThat(calls).allSatisfy(call -> assertThatThrownBy(call::join).isInstanceOf(CancellationException.class));
    }

    @Test
    void providerObservesOneHundredCancellationsAndRunsNoneOfTheQueuedCalls() {
        RpcServer server = server(100, 100, null);
        RpcClient client = fixture.client();
        WaitService service = reference(client, server.address());

        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            calls.add(service.blockAsync(i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> waits.started.get() == 100);
        assertThat(server.inFlightCount()).isEqualTo(150);
        // The queued calls first: cancels reach the provider in order, so each queued call is
        // marked before a cancelled running call frees the thread that would pick it up.
        for (int i = 0; i < calls.size(); i++) {
            if (!waits.startedNumbers.contains(i)) {
                assertThat(calls.get(i).cancel(false)).isTrue();
            }
        }
        calls.forEach(call -> call.cancel(false));

        await().atMost(Duration.ofSeconds(20)).until(() -> server.inFlightCount() == 0);
        assertThat(waits.cancellations.get()).isEqualTo(100);
        assertThat(waits.started.get()).as("queued calls that ran").isEqualTo(100);
    }

    @Test
    void interruptedSyncCallerCancelsItsCall() throws Exception {
        RpcServer server = server(4, 0, null);
        RpcClient client = fixture.client(ClientOptions.builder().maxPendingCalls(1).build());
        WaitService service = reference(client, server.address());
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<?> blocked = caller.submit(() -> service.block(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> waits.started.get() == 1);
            blocked.cancel(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> waits.cancellations.get() == 1);
            // The one pending slot is free again.
            CompletableFuture<String> next = service.blockAsync(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> waits.started.get() == 2);
            assertThat(next).isNotDone();
            next.cancel(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> waits.cancellations.get() == 2);
        } finally {
            caller.shutdownNow();
            assertThat(caller.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void providerDeadlineCancelsTheRunningCall() {
        RpcServer server = server(4, 0, Duration.ofMillis(200));
        WaitService service = reference(fixture.client(), server.address());

        assertThat(service.block(7)).isEqualTo("done 7");
        assertThat(waits.cancellations.get()).isEqualTo(1);
        assertThat(waits.sawCancelledFlag.get()).isEqualTo(1);
    }

    @Test
    void callsMadeFromACancelledCallFailFastWithCancelled() {
        RpcServer echoServer = fixture.server(new EchoServiceImpl());
        RpcClient downstreamClient = fixture.client();
        waits.downstream = downstreamClient.reference(EchoService.class, hostPort(echoServer.address()));
        RpcServer server = server(4, 0, null);
        RpcClient caller = RpcClient.builder().build();
        WaitService service = reference(caller, server.address());

        CompletableFuture<String> call = CompletableFuture.supplyAsync(service::blockThenCallDownstream);
        await().atMost(Duration.ofSeconds(10)).until(() -> waits.started.get() == 1);
        // The caller going away cancels its calls on the provider too.
        caller.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> waits.downstreamOutcome != null);
        assertThat(waits.downstreamOutcome).isEqualTo(RpcErrorCode.CANCELLED.name());
        assertThatThrownBy(call::join).hasCauseInstanceOf(RpcException.class);
    }

    @Test
    void contextOutsideAServedCallIsNeverCancelled() {
        assertThat(RpcContext.current().isCancelled()).isFalse();
        assertThatThrownBy(() -> RpcContext.current().addCancellationListener(() -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
