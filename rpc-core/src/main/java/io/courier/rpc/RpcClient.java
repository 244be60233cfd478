package io.courier.rpc;

import io.courier.rpc.cluster.FailoverInvoker;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.protocol.RpcErrorCode;
import io.courier.rpc.proxy.ProxyFactory;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.courier.rpc.transport.ClientTransport;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Courier consumer: creates proxies for remote services and owns the connections they share.
 *
 * <pre>{@code
 * try (RpcClient client = RpcClient.builder().build()) {
 *     UserService users = client.reference(ReferenceConfig.builder(UserService.class)
 *             .address("127.0.0.1:7070")
 *             .timeout(Duration.ofMillis(800))
 *             .build());
 *     User u = users.get(42);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Proxies are created once per distinct {@link ReferenceConfig} and shared.
 * All references share one multiplexed connection pool per provider address.
 */
public final class RpcClient implements AutoCloseable {

    private final ClientOptions options;
    private final Serializer serializer;
    private final ClientTransport transport;
    private final ExecutorService ownedCallbackExecutor;
    private final Executor callbackExecutor;
    private final Map<ReferenceConfig<?>, Object> proxies = new ConcurrentHashMap<>();
    private final List<ClientInterceptor> interceptors;
    private volatile boolean closed;

    private RpcClient(Builder b) {
        this.options = b.options;
        this.interceptors = List.copyOf(b.interceptors);
        this.serializer = b.serializer == null ? KryoSerializer.ofDefaults() : b.serializer;
        this.transport = new ClientTransport(options, serializer);
        if (b.callbackExecutor == null) {
            int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(65_536), new DefaultThreadFactory("courier-client-callback", true));
            pool.allowCoreThreadTimeOut(true);
            this.ownedCallbackExecutor = pool;
            this.callbackExecutor = pool;
        } else {
            this.ownedCallbackExecutor = null;
            this.callbackExecutor = b.callbackExecutor;
        }
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the proxy for a reference, creating it on first use. With
     * {@link ReferenceConfig#check()} set, fails unless a provider accepts a connection within
     * the connect timeout; otherwise connections are opened in the background.
     *
     * @throws RpcException with {@link RpcErrorCode#CONNECT_FAILED} when checking and no provider answers
     * @throws IllegalArgumentException when the interface declares an invalid method
     */
    public <T> T reference(ReferenceConfig<T> config) {
        Objects.requireNonNull(config, "config");
        if (closed) {
            throw new IllegalStateException("Client is closed");
        }
        Object proxy = proxies.get(config);
        if (proxy == null) {
            proxy = proxies.computeIfAbsent(config, c -> createProxy(config));
        }
        return config.serviceInterface().cast(proxy);
    }

    /** Returns the proxy for an interface served at {@code host:port}, with default settings. */
    public <T> T reference(Class<T> serviceInterface, String hostAndPort) {
        return reference(ReferenceConfig.builder(serviceInterface).address(hostAndPort).build());
    }

    private <T> T createProxy(ReferenceConfig<T> config) {
        serializer.allowTypesOf(config.serviceInterface());
        List<CompletableFuture<Void>> connects = new ArrayList<>();
        for (InetSocketAddress address : config.addresses()) {
            connects.add(transport.connect(address));
        }
        if (config.check()) {
            awaitAnyProvider(config, connects);
        }
        FailoverInvoker invoker = new FailoverInvoker(transport, config.addresses(), config.retries());
        return ProxyFactory.create(config, invoker, interceptors, options.requestTimeout(), callbackExecutor);
    }

    private void awaitAnyProvider(ReferenceConfig<?> config, List<CompletableFuture<Void>> connects) {
        if (connects.isEmpty()) {
            throw new RpcException(RpcErrorCode.NO_PROVIDER, "No provider address configured for "
                    + config.serviceKey());
        }
        long waitMillis = options.connectTimeout().toMillis() + 500;
        Throwable last = null;
        for (CompletableFuture<Void> connect : connects) {
            try {
                connect.get(waitMillis, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                last = e.getCause();
            } catch (TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RpcException(RpcErrorCode.CANCELLED, "Interrupted while connecting", e);
            }
        }
        throw new RpcException(RpcErrorCode.CONNECT_FAILED, "No provider of " + config.serviceKey() + " answered at "
                + config.addresses() + (last == null ? "" : ": " + last.getMessage()), last);
    }

    /** Returns the references created so far. */
    public List<ReferenceConfig<?>> references() {
        return List.copyOf(proxies.keySet());
    }

    /** Returns the number of open connections by provider address. */
    public Map<InetSocketAddress, Integer> connectionCounts() {
        return transport.connectionCounts();
    }

    /** Returns the options this client was built with. */
    public ClientOptions options() {
        return options;
    }

    /** Returns the serializer requests are written with. */
    public Serializer serializer() {
        return serializer;
    }

    /** Closes every connection (pending calls fail with CONNECTION_LOST) and stops the client's threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        transport.close();
        if (ownedCallbackExecutor != null) {
            ownedCallbackExecutor.shutdown();
        }
    }

    /** Builds an {@link RpcClient}; not thread-safe. */
    public static final class Builder {

        private ClientOptions options = ClientOptions.ofDefaults();
        private Serializer serializer;
        private Executor callbackExecutor;
        private final List<ClientInterceptor> interceptors = new ArrayList<>();

        private Builder() {
        }

        /** Adds a client interceptor; interceptors run in the order added, the first outermost. */
        public Builder interceptor(ClientInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** Sets the options (default {@link ClientOptions#ofDefaults()}). */
        public Builder options(ClientOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Sets the serializer requests are written with (default Kryo). */
        public Builder serializer(Serializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        /**
         * Completes the futures returned by async methods on this executor (default: a small
         * pool owned by the client). Never a Netty event loop: user callbacks may block.
         */
        public Builder callbackExecutor(Executor callbackExecutor) {
            this.callbackExecutor = Objects.requireNonNull(callbackExecutor, "callbackExecutor");
            return this;
        }

        /** Returns a new client. */
        public RpcClient build() {
            return new RpcClient(this);
        }
    }
}
