package io.courier.rpc.e2e;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.invoke.ServiceKey;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.registry.RegistryListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class ResilienceTest {

    private final ServerClientFixture fixture = new ServerClientFixture();
    private final EchoServiceImpl impl = new EchoServiceImpl();

    @AfterEach
    void stop() throws Exception {
        impl.release.countDown();
        fixture.close();
    }

    @Test
    void clientReconnectsAfterTheServerRestarts() {
        RpcServer first = fixture.server(impl);
        int port = first.address().getPort();
        RpcClient client = fixture.client(ClientOptions.builder()
                .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200)).build());
        EchoService echo = client.reference(ServerClientFixture.reference(first.address()).retries(0).build());
        assertThat(echo.echo("before")).isEqualTo("before");

        first.close();
        RpcException down = catchThrowableOfType(RpcException.class, () -> echo.echo("down"));
        assertThat(down.code()).isIn(RpcErrorCode.CONNECT_FAILED, RpcErrorCode.OUTCOME_UNKNOWN, RpcErrorCode.NOT_SENT);

        fixture.server(impl, ServerClientFixture.loopback().port(port).build());
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(echo.echo("after")).isEqualTo("after"));
    }

    @Test
    void pendingCallsFailFastWhenTheConnectionDrops() {
        RpcServer server = fixture.server(impl, ServerClientFixture.loopback().shutdownGrace(Duration.ZERO).build());
        RpcClient client = fixture.client();
        EchoService echo = client.reference(ServerClientFixture.reference(server.address()).retries(0)
                .timeout(Duration.ofSeconds(20)).build());
        assertThat(echo.echo("warm")).isEqualTo("warm");
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> echo.slow(20_000));
        await().atMost(Duration.ofSeconds(5)).until(() -> impl.slowCalls.get() == 1);

        long start = System.nanoTime();
        server.close();
        assertThat(slow).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(RpcException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(RpcErrorCode.OUTCOME_UNKNOWN);
                            assertThat(e.outcomeUnknown()).isTrue();
                        });
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
    }

    @Test
    void fullExecutorAnswersServerBusy() {
        RpcServer server = fixture.server(impl, ServerClientFixture.loopback().workerThreads(1).queueSize(0).build());
        RpcClient client = fixture.client();
        EchoService echo = client.reference(ServerClientFixture.reference(server.address()).retries(0).build());
        CompletableFuture<String> blocker = CompletableFuture.supplyAsync(() -> echo.slow(4000));
        await().atMost(Duration.ofSeconds(5)).until(() -> impl.slowCalls.get() == 1);

        RpcException busy = catchThrowableOfType(RpcException.class, () -> echo.echo("x"));
        assertThat(busy.code()).isEqualTo(RpcErrorCode.SERVER_BUSY);
        assertThat(busy.isRetrySafe()).isTrue();

        impl.release.countDown();
        assertThat(blocker.join()).isEqualTo("slept");
        assertThat(echo.echo("x")).isEqualTo("x");
    }

    @Test
    void expiredCallsAreNotRunByTheProvider() {
        RpcServer server = fixture.server(impl, ServerClientFixture.loopback().workerThreads(1).queueSize(10).build());
        RpcClient client = fixture.client();
        EchoService patient = client.reference(ServerClientFixture.reference(server.address()).retries(0).build());
        EchoService impatient = client.reference(ServerClientFixture.reference(server.address()).retries(0)
                .timeout(Duration.ofMillis(100)).build());
        CompletableFuture<String> blocker = CompletableFuture.supplyAsync(() -> patient.slow(4000));
        await().atMost(Duration.ofSeconds(5)).until(() -> impl.slowCalls.get() == 1);

        // Queued behind the blocker; its 100 ms budget is gone when the worker gets to it.
        RpcException e = catchThrowableOfType(RpcException.class, () -> impatient.slow(1));
        assertThat(e.code()).isEqualTo(RpcErrorCode.TIMEOUT);
        impl.release.countDown();
        assertThat(blocker.join()).isEqualTo("slept");
        assertThat(patient.echo("done")).isEqualTo("done");
        assertThat(impl.slowCalls.get()).isEqualTo(1);
    }

    @Test
    void gracefulShutdownFinishesInFlightCallsAndRefusesNewOnes() throws Exception {
        RpcServer server = fixture.server(impl, ServerClientFixture.loopback().shutdownGrace(Duration.ofSeconds(10)).build());
        RpcClient client = fixture.client();
        EchoService echo = client.reference(ServerClientFixture.reference(server.address()).retries(0).build());
        CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> echo.slow(10_000));
        await().atMost(Duration.ofSeconds(5)).until(() -> impl.slowCalls.get() == 1);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.isRunning());
        impl.release.countDown();
        assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("slept");
        closing.get(10, TimeUnit.SECONDS);
        assertThat(server.inFlightCount()).isZero();
    }

    @Test
    void serverThatCannotRegisterDoesNotStayBound() throws IOException {
        Registry refusing = new Registry() {
            @Override
            public void register(ProviderInstance instance) {
                throw new IllegalStateException("registry refused " + instance.serviceKey());
            }

            @Override
            public void unregister(ProviderInstance instance) {
            }

            @Override
            public void subscribe(ServiceKey serviceKey, RegistryListener listener) {
            }

            @Override
            public void unsubscribe(ServiceKey serviceKey, RegistryListener listener) {
            }

            @Override
            public void close() {
            }
        };
        RpcServer server = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).build())
                .registry(refusing)
                .service(EchoService.class, new EchoServiceImpl())
                .build();
        assertThat(catchThrowableOfType(IllegalStateException.class, server::start)).hasMessageContaining("registry refused");
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void checkFailsFastWhenNothingListens() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RpcClient client = fixture.client(ClientOptions.builder().connectTimeout(Duration.ofSeconds(1)).build());
        RpcException e = catchThrowableOfType(RpcException.class, () -> client.reference(
                io.courier.rpc.config.ReferenceConfig.builder(EchoService.class).address("127.0.0.1:" + port)
                        .check(true).build()));
        assertThat(e.code()).isEqualTo(RpcErrorCode.CONNECT_FAILED);
        assertThat(e.getMessage()).contains("No provider of " + EchoService.class.getName());
    }

    @Test
    void uncheckedReferenceStartsBeforeTheProvider() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RpcClient client = fixture.client(ClientOptions.builder()
                .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200)).build());
        EchoService echo = client.reference(io.courier.rpc.config.ReferenceConfig.builder(EchoService.class)
                .address("127.0.0.1:" + port).build());
        fixture.server(impl, ServerClientFixture.loopback().port(port).build());
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(echo.echo("late")).isEqualTo("late"));
    }

    @Test
    void garbageOnOneConnectionDoesNotDisturbOthers() throws Exception {
        RpcServer server = fixture.server(impl);
        RpcClient client = fixture.client();
        EchoService echo = client.reference(ServerClientFixture.reference(server.address()).build());
        assertThat(echo.echo("ok")).isEqualTo("ok");

        try (Socket raw = new Socket("127.0.0.1", server.address().getPort())) {
            // Neither protocol: an HTTP request would be served now (the port speaks HTTP too), so lower case.
            raw.getOutputStream().write("get / http/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertThat(readUntilClosed(raw.getInputStream())).isEqualTo(-1);
        }
        try (Socket raw = new Socket("127.0.0.1", server.address().getPort())) {
            DataOutputStream out = new DataOutputStream(raw.getOutputStream());
            out.writeShort(RpcFrame.MAGIC);
            out.writeByte(RpcFrame.VERSION);
            out.writeByte(1);
            out.writeByte(0);
            out.writeByte(1);
            out.writeShort(0);
            out.writeLong(1);
            out.writeInt(0);
            out.writeInt(1 << 30);
            out.flush();
            assertThat(readUntilClosed(raw.getInputStream())).isEqualTo(-1);
        }
        assertThat(echo.echo("still ok")).isEqualTo("still ok");
    }

    @Test
    void malformedRequestGetsBadRequestAndTheConnectionSurvives() throws Exception {
        RpcServer server = fixture.server(impl);
        try (Socket raw = new Socket("127.0.0.1", server.address().getPort())) {
            raw.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(raw.getOutputStream());
            DataInputStream in = new DataInputStream(raw.getInputStream());
            writeHeaderOnly(out, 11, 1, new byte[] {100, 'x'});
            assertThat(readStatus(in, 11)).isEqualTo(RpcErrorCode.BAD_REQUEST.code());
            // Unknown serialization id 99, valid header.
            byte[] header = {4, 'n', 'o', 'n', 'e', 1, 'm', 0, 0, 0};
            writeHeaderOnly(out, 12, 99, header);
            assertThat(readStatus(in, 12)).isEqualTo(RpcErrorCode.SERIALIZATION.code());
            // Valid service, garbage body.
            String key = EchoService.class.getName();
            java.io.ByteArrayOutputStream h = new java.io.ByteArrayOutputStream();
            h.write(key.length());
            h.write(key.getBytes());
            h.write(4);
            h.write("echo".getBytes());
            h.write("java.lang.String".length());
            h.write("java.lang.String".getBytes());
            h.write(0);
            h.write(0);
            writeFrame(out, 13, 1, h.toByteArray(), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 1, 2});
            assertThat(readStatus(in, 13)).isEqualTo(RpcErrorCode.SERIALIZATION.code());
        }
    }

    @Test
    void heartbeatsKeepAnIdleConnectionOpen() {
        RpcServer server = fixture.server(impl, ServerClientFixture.loopback().idleTimeout(Duration.ofMillis(600)).build());
        RpcClient client = fixture.client(ClientOptions.builder().heartbeatInterval(Duration.ofMillis(100)).build());
        EchoService echo = client.reference(ServerClientFixture.reference(server.address()).build());
        assertThat(echo.echo("x")).isEqualTo("x");
        // Silent for five idle timeouts: only heartbeats flow, and the server keeps the connection.
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(server.connectionCount()).isEqualTo(1));
        assertThat(echo.echo("y")).isEqualTo("y");
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void serverClosesSilentConnections() throws Exception {
        RpcServer server = fixture.server(impl, ServerClientFixture.loopback().idleTimeout(Duration.ofMillis(300)).build());
        try (Socket raw = new Socket("127.0.0.1", server.address().getPort())) {
            raw.setSoTimeout(5000);
            assertThat(readUntilClosed(raw.getInputStream())).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
    }

    @Test
    void portInUseFailsClearlyAndLeavesNoThreads() {
        RpcServer first = fixture.server(impl);
        RpcServer second = RpcServer.builder()
                .options(ServerClientFixture.loopback().port(first.address().getPort()).build())
                .service(EchoService.class, impl).build();
        IllegalStateException e = catchThrowableOfType(IllegalStateException.class, second::start);
        assertThat(e).hasMessageContaining("Cannot bind 127.0.0.1:" + first.address().getPort());
        assertThat(second.isRunning()).isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .filteredOn(n -> n.startsWith("courier-server-boss"))
                .hasSize(1));
    }

    @Test
    void closingReleasesEveryThread() throws Exception {
        RpcServer server = fixture.server(impl);
        RpcClient client = fixture.client();
        EchoService echo = client.reference(ServerClientFixture.reference(server.address()).build());
        assertThat(echo.echoAsync("x").get(5, TimeUnit.SECONDS)).isEqualTo("async:x");
        fixture.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("courier-") && !n.startsWith("courier-client-callback")));
    }

    private static void writeHeaderOnly(DataOutputStream out, long id, int serialization, byte[] header) throws IOException {
        writeFrame(out, id, serialization, header, new byte[0]);
    }

    private static void writeFrame(DataOutputStream out, long id, int serialization, byte[] header, byte[] body)
            throws IOException {
        out.writeShort(RpcFrame.MAGIC);
        out.writeByte(RpcFrame.VERSION);
        out.writeByte(1);
        out.writeByte(0);
        out.writeByte(serialization);
        out.writeShort(0);
        out.writeLong(id);
        out.writeInt(header.length);
        out.writeInt(body.length);
        out.write(header);
        out.write(body);
        out.flush();
    }

    private static int readStatus(DataInputStream in, long expectedId) throws IOException {
        byte[] fixed = new byte[RpcFrame.FIXED_HEADER_LENGTH];
        in.readFully(fixed);
        var buf = java.nio.ByteBuffer.wrap(fixed);
        assertThat(buf.getShort(0)).isEqualTo(RpcFrame.MAGIC);
        assertThat(buf.get(3)).isEqualTo((byte) 2);
        assertThat(buf.getLong(8)).isEqualTo(expectedId);
        in.readFully(new byte[buf.getInt(16) + buf.getInt(20)]);
        return buf.getShort(6) & 0xFFFF;
    }

    private static int readUntilClosed(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != -1) {
            // An RPC server never answers garbage; drain until the close.
        }
        return b;
    }

}
