package io.courier.rpc.e2e;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@link RpcServer.Builder#threadPerCall}: each call on a thread of its own from the factory (virtual
 * threads on Java 21; a platform factory here, which the server treats the same), at most
 * {@code workerThreads} at once, and a full server answers {@code SERVER_BUSY} at once.
 */
@Timeout(60)
class ThreadPerCallTest {

    /** Holds its thread until the test lets it go, then names it. */
    public interface HoldService {

        CompletableFuture<String> hold(int n);
    }

    private final ServerClientFixture fixture = new ServerClientFixture();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger holding = new AtomicInteger();

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        fixture.close();
    }

    @Test
    void eachCallGetsAThreadOfItsOwnAndAFullServerRefusesAtOnce() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "call-" + made.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        HoldService impl = n -> {
            holding.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding.decrementAndGet();
            }
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        };
        RpcServer server = fixture.track(RpcServer.builder()
                .options(ServerClientFixture.loopback().workerThreads(3).queueSize(100).build())
                .threadPerCall(factory)
                .service(HoldService.class, impl)
                .build().start());
        RpcClient client = fixture.client(ClientOptions.builder().requestTimeout(Duration.ofSeconds(20)).build());
        HoldService hold = client.reference(ReferenceConfig.builder(HoldService.class)
                .address("127.0.0.1:" + server.address().getPort()).retries(0).build());

        List<CompletableFuture<String>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(hold.hold(i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> holding.get() == 3);

        // The queue size does not apply: the fourth call is refused while the three run.
        long start = System.nanoTime();
        Throwable refused = catchThrowable(() -> hold.hold(3).get(10, TimeUnit.SECONDS));
        long refusedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(refused).isInstanceOf(ExecutionException.class).cause().isInstanceOf(RpcException.class);
        assertThat(((RpcException) refused.getCause()).code()).isEqualTo(RpcErrorCode.SERVER_BUSY);
        assertThat(refusedMillis).as("refused before any held call ended").isLessThan(10_000);
        assertThat(holding.get()).isEqualTo(3);

        release.countDown();
        List<String> names = new ArrayList<>();
        for (CompletableFuture<String> f : held) {
            names.add(f.get(10, TimeUnit.SECONDS));
        }
        assertThat(names).allMatch(name -> name.startsWith("call-")).doesNotHaveDuplicates();
        // Once they ended, there is room again, on a new thread.
        assertThat(hold.hold(4).get(10, TimeUnit.SECONDS)).startsWith("call-");
        assertThat(made.get()).isEqualTo(4);
    }

    @Test
    void closingTheServerLetsRunningCallsFinish() throws Exception {
        HoldService impl = n -> {
            holding.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.completedFuture("interrupted");
            }
            return CompletableFuture.completedFuture("done");
        };
        RpcServer server = RpcServer.builder()
                .options(ServerClientFixture.loopback().workerThreads(2).shutdownGrace(Duration.ofSeconds(10)).build())
                .threadPerCall(r -> new Thread(r, "call"))
                .service(HoldService.class, impl)
                .build().start();
        RpcClient client = fixture.client(ClientOptions.builder().requestTimeout(Duration.ofSeconds(20)).build());
        HoldService hold = client.reference(ReferenceConfig.builder(HoldService.class)
                .address("127.0.0.1:" + server.address().getPort()).retries(0).build());
        CompletableFuture<String> running = hold.hold(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> holding.get() == 1);

        CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);
        release.countDown();
        closed.get(20, TimeUnit.SECONDS);
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    }
}
