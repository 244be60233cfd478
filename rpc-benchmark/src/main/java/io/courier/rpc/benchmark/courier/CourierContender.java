package io.courier.rpc.benchmark.courier;

import io.courier.rpc.RpcClient;
import io.courier.rpc.RpcServer;
import io.courier.rpc.RpcStreams;
import io.courier.rpc.benchmark.AsyncProfileService;
import io.courier.rpc.benchmark.AsyncUserService;
import io.courier.rpc.benchmark.FixedUserService;
import io.courier.rpc.benchmark.JdkUserStreamService;
import io.courier.rpc.benchmark.ProfileService;
import io.courier.rpc.benchmark.User;
import io.courier.rpc.benchmark.UserService;
import io.courier.rpc.benchmark.UserStreamService;
import io.courier.rpc.benchmark.contender.ClientAdapter;
import io.courier.rpc.benchmark.contender.Contender;
import io.courier.rpc.benchmark.contender.UserStreamClient;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.config.Transport;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.courier.rpc.tls.TlsProvider;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Courier through its plain-Java API with Kryo and default options: a JDK proxy of
 * {@link UserService} for blocking calls and one of {@link AsyncUserService} for asynchronous
 * ones, both over the client's single multiplexed connection.
 *
 * <p>The Spring Boot starter is not a separate contender: it builds the same {@link RpcServer} and
 * {@link RpcClient} with the same defaults, so the call path is identical.
 *
 * <p>Variants, run only when named: {@link #inline()} and the TLS contenders of {@link #tls(TlsProvider)}.
 *
 * <p>Thread-safe (immutable).
 */
public final class CourierContender implements Contender {

    /** Timeout of every call, the same for each contender that has one. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final boolean inline;
    /** TLS on server and client, or null for plaintext. */
    private final BenchmarkTls tls;

    /** The contender as users get it: default options. */
    public CourierContender() {
        this(false, null);
    }

    private CourierContender(boolean inline, BenchmarkTls tls) {
        this.inline = inline;
        this.tls = tls;
    }

    /**
     * A diagnostic variant, not one of the default contenders: the server runs service methods on
     * its I/O thread and the client completes futures on its I/O thread (both through the public
     * {@code executor} and {@code callbackExecutor} builder options), which shows what the two
     * thread hops of the default configuration cost. Safe here only because neither the service
     * nor the load generator's callbacks block.
     */
    public static CourierContender inline() {
        return new CourierContender(true, null);
    }

    /**
     * Courier with default options plus TLS on server and client, {@code provider} forced on both
     * ends: {@code courier-tls-jdk} or {@code courier-tls-openssl}. The server presents a
     * self-signed certificate for 127.0.0.1 that it writes at start-up (see {@link BenchmarkTls});
     * the client trusts it and verifies the host name. No client certificate.
     */
    public static CourierContender tls(TlsProvider provider) {
        return new CourierContender(false, BenchmarkTls.of(provider));
    }

    /**
     * Returns this contender with its certificate in {@code dir}, shared by the server and the
     * client JVM; a plaintext contender is returned as it is.
     */
    @Override
    public CourierContender withTlsDirectory(Path dir) {
        return tls == null ? this : new CourierContender(inline, tls.inDirectory(dir));
    }

    @Override
    public String name() {
        if (tls != null) {
            return "courier-tls-" + tls.provider().name().toLowerCase(Locale.ROOT);
        }
        return inline ? "courier-inline" : "courier";
    }

    @Override
    public String description() {
        if (tls != null) {
            return "Courier as `courier`, over TLS (1.3 or 1.2, server certificate only: self-signed EC P-256, "
                    + "host name verified) with the " + (tls.provider() == TlsProvider.OPENSSL
                            ? "OpenSSL provider (netty-tcnative BoringSSL)" : "JDK provider (SSLEngine)")
                    + " on both ends";
        }
        return inline
                ? "Courier as `courier`, but service methods and future completions run on the I/O threads (diagnostic)"
                : "Courier 0.1.0-SNAPSHOT, plain API, Kryo, default options (server: 200 business threads)";
    }

    /** NIO when the raw references use it too ({@code -Dcourier.rpc.transport.nio=true}), else Courier's default. */
    private static Transport transport() {
        return Boolean.getBoolean("courier.rpc.transport.nio") ? Transport.NIO : Transport.AUTO;
    }

    @Override
    public RunningServer startServer(String host, int port) {
        FixedUserService service = new FixedUserService();
        RpcServer.Builder builder = RpcServer.builder()
                .options(ServerOptions.builder().host(host).port(port).transport(transport())
                        .tls(tls == null ? null : tls.server()).build())
                .serializer(KryoSerializer.ofDefaults())
                .service(UserService.class, service)
                .service(AsyncUserService.class, AsyncUserService.over(service))
                // The scaling phase's payload probe; the main suite never calls it.
                .service(ProfileService.class, service)
                .service(AsyncProfileService.class, AsyncProfileService.over(service))
                // The streaming phase: the same stream as a Flux and as a Flow.Publisher.
                .service(UserStreamService.class, UserStreamService.over(service))
                .service(JdkUserStreamService.class, JdkUserStreamService.over(UserStreamService.over(service)));
        ExecutorService sameThread = inline ? new SameThreadExecutor() : null;
        if (sameThread != null) {
            builder.executor(sameThread);
        }
        RpcServer server = builder.build().start();
        return new RunningServer() {
            @Override
            public int port() {
                return server.address().getPort();
            }

            @Override
            public void close() {
                server.close();
                if (sameThread != null) {
                    sameThread.shutdown();
                }
            }
        };
    }

    @Override
    public ClientAdapter connect(String host, int port) {
        RpcClient.Builder builder = RpcClient.builder().serializer(KryoSerializer.ofDefaults())
                .options(ClientOptions.builder().transport(transport()).tls(tls == null ? null : tls.client()).build());
        if (inline) {
            builder.callbackExecutor(Runnable::run);
        }
        RpcClient client = builder.build();
        try {
            String address = host + ":" + port;
            UserService sync = client.reference(ReferenceConfig.builder(UserService.class)
                    .address(address).timeout(CALL_TIMEOUT).check(true).build());
            AsyncUserService async = client.reference(ReferenceConfig.builder(AsyncUserService.class)
                    .address(address).timeout(CALL_TIMEOUT).check(true).build());
            ClientAdapter.Profiles profiles = new ClientAdapter.Profiles(
                    client.reference(ReferenceConfig.builder(ProfileService.class)
                            .address(address).timeout(CALL_TIMEOUT).check(true).build()),
                    client.reference(ReferenceConfig.builder(AsyncProfileService.class)
                            .address(address).timeout(CALL_TIMEOUT).check(true).build()));
            // A stream has no deadline unless its method has its own timeout: give it the calls' one.
            UserStreamClient streams = new StreamClient(
                    client.reference(ReferenceConfig.builder(UserStreamService.class).address(address)
                            .methodTimeout("streamUsers", CALL_TIMEOUT).check(true).build()),
                    client.reference(ReferenceConfig.builder(JdkUserStreamService.class).address(address)
                            .methodTimeout("streamUsers", CALL_TIMEOUT).check(true).build()));
            return ClientAdapter.of(sync, async, profiles, streams, client::close);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * The streaming phase's consumer: asynchronously, Reactor's {@code count()} on the proxy's
     * {@code Flux} (it asks for everything; Courier's credit window paces the provider); blocking,
     * {@link RpcStreams#iterate} over the proxy's {@code Flow.Publisher}, on the calling thread.
     * Thread-safe (the proxies are).
     */
    private record StreamClient(UserStreamService reactive, JdkUserStreamService jdk) implements UserStreamClient {

        @Override
        public CompletableFuture<Integer> consume(long firstId, int count) {
            return reactive.streamUsers(firstId, count).count().toFuture().thenApply(Math::toIntExact);
        }

        @Override
        public int consumeBlocking(long firstId, int count) {
            int received = 0;
            try (RpcStreams.StreamIterator<User> users = RpcStreams.iterate(jdk.streamUsers(firstId, count))) {
                while (users.hasNext()) {
                    users.next();
                    received++;
                }
            }
            return received;
        }
    }

    /** Runs each task on the submitting thread. Thread-safe. */
    private static final class SameThreadExecutor extends AbstractExecutorService {

        private volatile boolean shutdown;

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
