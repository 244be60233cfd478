package io.courier.rpc.cluster;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What a failed call tells its caller: whether the provider may have run it
 * ({@link RpcException#outcomeUnknown()}, {@link RpcErrorCode#OUTCOME_UNKNOWN}) and what each
 * attempt did ({@link RpcException#attempts()}).
 */
@Timeout(60)
class OutcomeUnknownTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    /**
     * A provider that accepts connections, reads the first bytes of a request and closes the
     * connection: the request was written, and no answer ever comes.
     */
    private static final class DroppingProvider implements AutoCloseable {

        final ServerSocket socket;
        final AtomicInteger requests = new AtomicInteger();
        private final Thread acceptor;
        /** The connection being read, closed by close() so a reconnected, silent client cannot hold the thread. */
        private volatile Socket current;

        DroppingProvider() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::serve, "dropping-provider-" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept(); InputStream in = s.getInputStream()) {
                    current = s;
                    if (socket.isClosed()) {
                        return;
                    }
                    if (in.read(new byte[4096]) > 0) {
                        requests.incrementAndGet();
                    }
                } catch (SocketException e) {
                    // Closed by close(): the test is over.
                    return;
                } catch (IOException e) {
                    // The client went away first; wait for the next connection.
                    continue;
                }
            }
        }

        String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            Socket s = current;
            if (s != null) {
                s.close();
            }
            acceptor.join(5_000);
        }
    }

    private static final class Inventory implements InventoryService {

        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public int stock(String sku) {
            calls.incrementAndGet();
            return sku.length();
        }

        @Override
        public String reserve(String sku, long workMillis) {
            calls.incrementAndGet();
            try {
                release.await(workMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sku;
        }

        @Override
        public String whoami() {
            return "real";
        }
    }

    private DroppingProvider dropper() throws IOException {
        DroppingProvider d = new DroppingProvider();
        closeables.add(d);
        return d;
    }

    private String realProvider(Inventory impl) {
        RpcServer server = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO).build())
                .service(InventoryService.class, impl).build().start();
        closeables.add(server);
        closeables.add(impl.release::countDown);
        return "127.0.0.1:" + server.address().getPort();
    }

    private InventoryService consumer(ReferenceConfig.Builder<InventoryService> config, String... addresses) {
        RpcClient client = RpcClient.builder().options(ClientOptions.builder()
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200)).build()).build();
        closeables.add(client);
        for (String a : addresses) {
            config.address(a);
        }
        return client.reference(config.loadBalancer(LoadBalancers.ROUND_ROBIN).build());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void connectionLostAfterTheWriteIsOutcomeUnknown() throws Exception {
        DroppingProvider dropper = dropper();
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class)
                .timeout(Duration.ofSeconds(10)).retries(0), dropper.address());

        RpcException e = catchThrowableOfType(RpcException.class, () -> inventory.stock("sku"));

        assertThat(e.code()).isEqualTo(RpcErrorCode.OUTCOME_UNKNOWN);
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(e.isRetrySafe()).isFalse();
        assertThat(e.attempts()).as("a single attempt describes itself").isEmpty();
        assertThat(e.getMessage()).doesNotContain("attempt 1");
        assertThat(dropper.requests).hasValue(1);
    }

    @Test
    void aCallThatNeverLeftSaysSo() throws Exception {
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class)
                .timeout(Duration.ofSeconds(5)).retries(0), "127.0.0.1:" + freePort());

        RpcException e = catchThrowableOfType(RpcException.class, () -> inventory.stock("sku"));

        assertThat(e.code()).isEqualTo(RpcErrorCode.CONNECT_FAILED);
        assertThat(e.outcomeUnknown()).isFalse();
        assertThat(e.isRetrySafe()).isTrue();
    }

    @Test
    void idempotentCallIsRetriedOnTheNextProviderAfterTheConnectionDrops() throws Exception {
        DroppingProvider dropper = dropper();
        Inventory real = new Inventory();
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class)
                .timeout(Duration.ofSeconds(10)).retries(1), dropper.address(), realProvider(real));

        // Round robin sends one of the first two calls to the dropper first.
        for (int i = 0; i < 4; i++) {
            assertThat(inventory.stock("sku-" + i)).isEqualTo(5);
        }
        assertThat(dropper.requests.get()).isPositive();
        assertThat(real.calls).hasValue(4);
    }

    @Test
    void whenEveryAttemptFailsTheExceptionListsThemAll() throws Exception {
        DroppingProvider first = dropper();
        DroppingProvider second = dropper();
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class)
                .timeout(Duration.ofSeconds(10)).retries(1), first.address(), second.address());

        RpcException e = catchThrowableOfType(RpcException.class, () -> inventory.stock("sku"));

        assertThat(e.code()).isEqualTo(RpcErrorCode.OUTCOME_UNKNOWN);
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(e.attempts()).hasSize(2);
        assertThat(e.attempts()).extracting(RpcException.Attempt::endpoint)
                .containsExactlyInAnyOrder(first.address(), second.address());
        assertThat(e.attempts()).extracting(RpcException.Attempt::phase)
                .containsOnly(RpcException.Phase.READ);
        assertThat(e.attempts()).extracting(RpcException.Attempt::code)
                .containsOnly(RpcErrorCode.OUTCOME_UNKNOWN);
        assertThat(e.attempts()).allSatisfy(a -> assertThat(a.elapsedMillis()).isNotNegative());
        assertThat(e.getMessage()).contains("2 attempts")
                .contains("attempt 1: " + e.attempts().get(0).endpoint() + " READ")
                .contains("attempt 2: " + e.attempts().get(1).endpoint() + " READ");
        assertThatThrownBy(() -> e.attempts().add(e.attempts().get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(first.requests.get() + second.requests.get()).isEqualTo(2);
    }

    @Test
    void nonIdempotentCallIsNotRetriedAfterTheWrite() throws Exception {
        DroppingProvider first = dropper();
        DroppingProvider second = dropper();
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class)
                .timeout(Duration.ofSeconds(10)).retries(2), first.address(), second.address());

        RpcException e = catchThrowableOfType(RpcException.class, () -> inventory.reserve("sku", 0));

        assertThat(e.code()).isEqualTo(RpcErrorCode.OUTCOME_UNKNOWN);
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(e.attempts()).isEmpty();
        // The invoker decides on a retry before it completes the call: no second request can follow.
        assertThat(first.requests.get() + second.requests.get()).isEqualTo(1);
    }

    @Test
    void aDeadlinePassedWhileWaitingKeepsTimeoutAndSaysTheOutcomeIsUnknown() {
        Inventory real = new Inventory();
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class)
                .timeout(Duration.ofMillis(200)).retries(2), realProvider(real));

        RpcException e = catchThrowableOfType(RpcException.class, () -> inventory.reserve("sku", 5_000));

        assertThat(e.code()).isEqualTo(RpcErrorCode.TIMEOUT);
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(real.calls).hasValue(1);
    }

    @Test
    void attemptsThatNeverLeftAreListedWithTheirPhaseAndNoUnknownOutcome() throws Exception {
        String down1 = "127.0.0.1:" + freePort();
        String down2 = "127.0.0.1:" + freePort();
        InventoryService inventory = consumer(ReferenceConfig.builder(InventoryService.class)
                .timeout(Duration.ofSeconds(5)).retries(1), down1, down2);

        RpcException e = catchThrowableOfType(RpcException.class, () -> inventory.reserve("sku", 0));

        assertThat(e.code()).isEqualTo(RpcErrorCode.CONNECT_FAILED);
        assertThat(e.outcomeUnknown()).isFalse();
        assertThat(e.attempts()).extracting(RpcException.Attempt::endpoint).containsExactlyInAnyOrder(down1, down2);
        assertThat(e.attempts()).extracting(RpcException.Attempt::phase).containsOnly(RpcException.Phase.CONNECT);
        assertThat(e.getCause()).isInstanceOf(RpcException.class);
    }
}
