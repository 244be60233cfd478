package io.courier.rpc.e2e;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.e2e.EchoService.Item;
import io.courier.rpc.e2e.EchoService.ItemNotFoundException;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.SerializationException;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@Timeout(30)
class EndToEndTest {

    private final ServerClientFixture fixture = new ServerClientFixture();
    private final EchoServiceImpl impl = new EchoServiceImpl();
    private RpcServer server;
    private RpcClient client;
    private EchoService echo;

    @BeforeEach
    void start() {
        server = fixture.server(impl);
        client = fixture.client();
        echo = client.reference(ServerClientFixture.reference(server.address()).build());
    }

    @AfterEach
    void stop() throws Exception {
        impl.release.countDown();
        fixture.close();
    }

    @Test
    void syncCallsReturnValues() {
        assertThat(echo.echo("hello")).isEqualTo("hello");
        assertThat(echo.add(2, 3)).isEqualTo(5);
        Item item = new Item(7, "seven", List.of("a", "b"));
        assertThat(echo.roundTrip(item)).isEqualTo(item);
        assertThat(echo.group(List.of(new Item(1, "x", List.of()), new Item(2, "x", List.of()), new Item(3, "y", List.of()))))
                .containsOnlyKeys("x", "y")
                .satisfies(m -> assertThat(m.get("x")).extracting(Item::id).containsExactly(1L, 2L));
    }

    @Test
    void overloadsAreDistinguishedByParameterTypes() {
        assertThat(echo.echo("ab")).isEqualTo("ab");
        assertThat(echo.echo("ab", 3)).isEqualTo("ababab");
    }

    @Test
    void nullArgumentsAndResultsTravel() {
        assertThat(echo.echo(null)).isNull();
        assertThat(echo.roundTrip(null)).isNull();
        assertThat(echo.echo(null, 2)).isEqualTo("nullnull");
    }

    @Test
    void largePayloadsTravelBothWays() {
        byte[] big = echo.payload(4 * 1024 * 1024);
        assertThat(big).hasSize(4 * 1024 * 1024);
        assertThat(big[12345]).isEqualTo((byte) 12345);
        assertThat(echo.length(big)).isEqualTo(big.length);
    }

    @Test
    void oversizedRequestFailsWithoutBeingSent() {
        RpcException e = catchThrowableOfType(RpcException.class, () -> echo.length(new byte[9 * 1024 * 1024]));
        assertThat(e.code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(echo.echo("still fine")).isEqualTo("still fine");
    }

    @Test
    void oversizedResponseBecomesAnError() {
        RpcException e = catchThrowableOfType(RpcException.class, () -> echo.payload(9 * 1024 * 1024));
        assertThat(e.code()).isEqualTo(RpcErrorCode.INTERNAL);
        assertThat(e.getMessage()).contains("maximum frame size");
        assertThat(echo.echo("still fine")).isEqualTo("still fine");
    }

    @Test
    void asyncCallsCompleteOffTheEventLoop() throws Exception {
        CompletableFuture<String> future = echo.echoAsync("x");
        CompletableFuture<String> thread = future.thenApply(v -> Thread.currentThread().getName());
        assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("async:x");
        assertThat(thread.get(5, TimeUnit.SECONDS)).doesNotContain("courier-client-io");
    }

    @Test
    void largeAsyncResponsesAreDecodedOnCallbackThreadsAndSmallOnesOnTheEventLoop() throws Exception {
        ReadWatcher watcher = new ReadWatcher(KryoSerializer.ofDefaults(), false);
        try (RpcClient watched = RpcClient.builder().serializer(watcher).build()) {
            EchoService e = watched.reference(ServerClientFixture.reference(server.address()).build());
            String big = "x".repeat(8 * 1024); // well above the 2 KiB bodies decoded off the event loop
            List<CompletableFuture<String>> many = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                many.add(e.echoAsync(big + i));
            }
            for (int i = 0; i < many.size(); i++) {
                assertThat(many.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("async:" + big + i);
            }
            assertThat(e.echoAsync("small").get(5, TimeUnit.SECONDS)).isEqualTo("async:small");
            assertThat(e.echo(big)).isEqualTo(big);

            // Futures: read where their completions run. The blocking call: read where it arrives.
            assertThat(watcher.longReads).hasSize(201);
            assertThat(watcher.longReads).filteredOn(t -> t.startsWith("courier-client-callback-")).hasSize(200);
            assertThat(watcher.longReads).filteredOn(t -> t.startsWith("courier-client-io-")).hasSize(1);
            assertThat(watcher.shortReads).singleElement().asString().startsWith("courier-client-io-");
        }
    }

    @Test
    void aUserCallbackExecutorGetsEveryAsyncCompletionWithOneHop() throws Exception {
        java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2,
                r -> new Thread(r, "user-callback"));
        java.util.concurrent.Executor counting = task -> {
            tasks.incrementAndGet();
            pool.execute(task);
        };
        ReadWatcher watcher = new ReadWatcher(KryoSerializer.ofDefaults(), false);
        try (RpcClient client = RpcClient.builder().serializer(watcher).callbackExecutor(counting).build()) {
            EchoService e = client.reference(ServerClientFixture.reference(server.address())
                    .methodTimeout("echoLaterAsync", java.time.Duration.ofMillis(100)).build());
            String big = "x".repeat(8 * 1024);
            CompletableFuture<String> large = e.echoAsync(big);
            CompletableFuture<String> largeThread = large.thenApply(v -> Thread.currentThread().getName());
            assertThat(largeThread.get(5, TimeUnit.SECONDS)).isEqualTo("user-callback");
            CompletableFuture<String> small = e.echoAsync("small");
            assertThat(small.thenApply(v -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
                    .isEqualTo("user-callback");
            CompletableFuture<String> late = e.echoLaterAsync("late", 2_000);
            CompletableFuture<String> failedOn = late.handle((v, t) -> Thread.currentThread().getName());
            assertThat(failedOn.get(5, TimeUnit.SECONDS)).isEqualTo("user-callback");
            assertThat(catchThrowableOfType(java.util.concurrent.ExecutionException.class, late::get).getCause())
                    .isInstanceOfSatisfying(RpcException.class, ex -> assertThat(ex.code()).isEqualTo(RpcErrorCode.TIMEOUT));
            // The large body was decoded where it completed; one task per call, no second hop.
            assertThat(watcher.longReads).containsExactly("user-callback");
            assertThat(tasks.get()).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void largeAsyncResponseThatCannotBeDecodedFailsTheFuture() {
        try (RpcClient refusing = RpcClient.builder().serializer(new ReadWatcher(KryoSerializer.ofDefaults(), true)).build()) {
            EchoService e = refusing.reference(ServerClientFixture.reference(server.address()).build());
            String big = "x".repeat(8 * 1024);

            assertThat(e.echoAsync(big))
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(RpcException.class,
                            ex -> assertThat(ex.code()).isEqualTo(RpcErrorCode.SERIALIZATION));
            assertThat(e.echo("alive")).isEqualTo("alive");
        }
    }

    /** Delegates to Kryo, noting which threads read values, and refuses long ones when told to. */
    private static final class ReadWatcher implements Serializer {

        final List<String> longReads = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> shortReads = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Serializer kryo;
        private final boolean refuseLong;

        ReadWatcher(Serializer kryo, boolean refuseLong) {
            this.kryo = kryo;
            this.refuseLong = refuseLong;
        }

        @Override
        public byte id() {
            return kryo.id();
        }

        @Override
        public String name() {
            return kryo.name();
        }

        @Override
        public void allowTypesOf(Class<?> serviceInterface) {
            kryo.allowTypesOf(serviceInterface);
        }

        @Override
        public void writeArguments(Object[] arguments, java.lang.reflect.Type[] parameterTypes, java.io.OutputStream out) {
            kryo.writeArguments(arguments, parameterTypes, out);
        }

        @Override
        public Object[] readArguments(java.lang.reflect.Type[] parameterTypes, java.io.InputStream in) {
            return kryo.readArguments(parameterTypes, in);
        }

        @Override
        public void writeValue(Object value, java.lang.reflect.Type declaredType, java.io.OutputStream out) {
            kryo.writeValue(value, declaredType, out);
        }

        @Override
        public Object readValue(java.lang.reflect.Type declaredType, java.io.InputStream in) {
            boolean isLong;
            try {
                isLong = in.available() > 1024;
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
            (isLong ? longReads : shortReads).add(Thread.currentThread().getName());
            if (isLong && refuseLong) {
                throw new SerializationException("Refused a long value in this test");
            }
            return kryo.readValue(declaredType, in);
        }

        @Override
        public void writeException(Throwable exception, java.io.OutputStream out) {
            kryo.writeException(exception, out);
        }

        @Override
        public Throwable readException(java.io.InputStream in) {
            return kryo.readException(in);
        }
    }

    @Test
    void asyncFailuresCompleteTheFutureExceptionally() {
        assertThat(echo.failAsync("nope"))
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOf(IllegalArgumentException.class)
                .withMessage("nope");
    }

    @Test
    void asyncReferenceReturnsAtOnceAndLeavesTheFuture() throws Exception {
        EchoService async = client.reference(ServerClientFixture.reference(server.address()).async(true).build());
        assertThat(async.echo("later")).isNull();
        CompletableFuture<String> echoed = RpcContext.lastFuture();
        assertThat(async.add(1, 2)).isZero();
        CompletableFuture<Integer> sum = RpcContext.lastFuture();
        assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo("later");
        assertThat(sum.get(5, TimeUnit.SECONDS)).isEqualTo(3);
        assertThatThrownBy(RpcContext::lastFuture).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void oneWayCallsReachTheProvider() throws Exception {
        echo.fire("fire-and-forget");
        assertThat(impl.fired.poll(5, TimeUnit.SECONDS)).isEqualTo("fire-and-forget");
    }

    @Test
    void slowCallTimesOutAndTheLateResponseIsDropped() {
        EchoService impatient = client.reference(ServerClientFixture.reference(server.address())
                .timeout(Duration.ofMillis(200)).retries(0).build());
        long start = System.nanoTime();
        RpcException e = catchThrowableOfType(RpcException.class, () -> impatient.slow(800));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(e.code()).isEqualTo(RpcErrorCode.TIMEOUT);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(150).isLessThan(800);
        impl.release.countDown();
        // The connection survives the late response.
        assertThat(impatient.echo("after")).isEqualTo("after");
    }

    @Test
    void annotatedMethodTimeoutApplies() {
        RpcException e = catchThrowableOfType(RpcException.class, () -> echo.slowWithAnnotatedTimeout(3000));
        assertThat(e.code()).isEqualTo(RpcErrorCode.TIMEOUT);
        assertThat(e.getMessage()).contains("150 ms");
    }

    @Test
    void declaredCheckedExceptionIsRethrownAsTheSameType() {
        ItemNotFoundException e = catchThrowableOfType(ItemNotFoundException.class, () -> echo.failChecked("missing"));
        assertThat(e).hasMessage("missing");
        assertThat(e.itemId()).isEqualTo(42);
        // The stack trace is the consumer's, not the provider's.
        assertThat(e.getStackTrace()).noneMatch(f -> f.getClassName().contains("EchoServiceImpl"));
    }

    @Test
    void runtimeExceptionIsRethrownAsTheSameType() {
        assertThatThrownBy(() -> echo.failRuntime("broken"))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("broken");
    }

    @Test
    void undeclaredExceptionFromTheApiPackageArrivesAsItself() {
        assertThatThrownBy(() -> echo.failUndeclared("gone"))
                .isExactlyInstanceOf(EchoService.ItemGoneException.class)
                .hasMessage("gone");
    }

    @Test
    void exceptionTheConsumerCannotLoadBecomesRpcExceptionWithTheRemoteName() {
        RpcException e = catchThrowableOfType(RpcException.class, () -> echo.failWithHiddenType("secret"));
        assertThat(e.code()).isEqualTo(RpcErrorCode.APPLICATION_ERROR);
        assertThat(e.remoteClassName()).isEqualTo(io.courier.rpc.hidden.HiddenProviderException.class.getName());
        assertThat(e.getMessage()).contains("secret");
    }

    @Test
    void unknownServiceIsReported() {
        Runnable other = client.reference(ReferenceConfig.builder(Runnable.class)
                .address(server.address().getHostString() + ":" + server.address().getPort()).retries(0).build());
        RpcException e = catchThrowableOfType(RpcException.class, other::run);
        assertThat(e.code()).isEqualTo(RpcErrorCode.SERVICE_NOT_FOUND);
        assertThat(e.getMessage()).contains("java.lang.Runnable");
    }

    @Test
    void versionIsPartOfTheServiceKey() {
        EchoService v2 = client.reference(ServerClientFixture.reference(server.address()).version("2.0").retries(0).build());
        RpcException e = catchThrowableOfType(RpcException.class, () -> v2.echo("x"));
        assertThat(e.code()).isEqualTo(RpcErrorCode.SERVICE_NOT_FOUND);
    }

    @Test
    void unknownMethodIsReported() throws Exception {
        ReferenceConfig<EchoService> config = ServerClientFixture.reference(server.address()).build();
        MethodMetadata foreign = MethodMetadata.forConsumer(Runnable.class.getMethod("run"), config.serviceKey(), 5000);
        try (var transport = new io.courier.rpc.internal.transport.ClientTransport(ClientOptions.ofDefaults(),
                KryoSerializer.ofDefaults())) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.address().getPort());
            var failure = transport.send(address, new RpcRequest(foreign, null, Map.of(), 5000));
            assertThat(failure).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(RpcException.class,
                            ex -> assertThat(ex.code()).isEqualTo(RpcErrorCode.METHOD_NOT_FOUND));
        }
    }

    @Test
    void classRefusedByTheProviderFailsTheCallButNotTheConnection() {
        try (RpcClient lenient = RpcClient.builder()
                .serializer(KryoSerializer.builder().allowClasses(Gadget.class).build()).build()) {
            EchoService e = lenient.reference(ServerClientFixture.reference(server.address()).retries(0).build());
            RpcException failure = catchThrowableOfType(RpcException.class, () -> e.echoObject(new Gadget("boom")));
            assertThat(failure.code()).isEqualTo(RpcErrorCode.SERIALIZATION);
            assertThat(failure.getMessage()).contains(Gadget.class.getName());
            assertThat(e.echo("alive")).isEqualTo("alive");
        }
    }

    @Test
    void thousandConcurrentCallsShareOneConnection() throws Exception {
        // A generous budget: on a loaded 2-core machine 1000 calls may queue for seconds.
        EchoService patient = client.reference(ServerClientFixture.reference(server.address())
                .timeout(Duration.ofSeconds(30)).build());
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            futures.add(patient.echoAsync("n" + i));
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(futures.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("async:n" + i);
        }
        assertThat(client.connectionCounts()).containsValue(1).hasSize(1);
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void proxiesAreSharedPerDistinctConfig() {
        ReferenceConfig<EchoService> config = ServerClientFixture.reference(server.address()).build();
        assertThat(client.reference(config)).isSameAs(client.reference(ServerClientFixture.reference(server.address()).build()));
        assertThat(client.reference(config)).isNotSameAs(client.reference(ServerClientFixture.reference(server.address())
                .timeout(Duration.ofSeconds(1)).build()));
        assertThat(echo.toString()).contains(EchoService.class.getName());
    }

    /** A class nobody allows on the provider. */
    record Gadget(String payload) {
    }
}
