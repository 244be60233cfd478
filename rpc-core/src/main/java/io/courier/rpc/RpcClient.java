package io.courier.rpc;

import io.courier.rpc.cluster.CallSender;
import io.courier.rpc.auth.CallCredentials;
import io.courier.rpc.cluster.ClusterInvoker;
import io.courier.rpc.cluster.Directory;
import io.courier.rpc.cluster.EndpointStatus;
import io.courier.rpc.cluster.RetryBudget;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.config.ReferenceConfig;
import io.courier.rpc.interceptor.ClientInterceptor;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.internal.proxy.ProxyFactory;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.courier.rpc.internal.transport.ClientTransport;
import io.courier.rpc.tls.ClientTls;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
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
    private final Registry registry;
    private final RetryBudget retryBudget;
    private final CallCredentials credentials;
    private final List<Directory> directories = new CopyOnWriteArrayList<>();
    private final List<Directory> subscriptions = new CopyOnWriteArrayList<>();
    private final List<ClusterInvoker> invokers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private RpcClient(Builder b) {
        this.options = b.options;
        this.interceptors = List.copyOf(b.interceptors);
        this.registry = b.registry;
        this.retryBudget = b.retryBudget == null ? RetryBudget.ofDefaults() : b.retryBudget;
        this.credentials = b.credentials;
        this.serializer = b.serializer == null ? KryoSerializer.ofDefaults() : b.serializer;
        if (b.callbackExecutor == null) {
            int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
            ExecutorService pool = BusinessExecutor.create("courier-client-callback", threads, 65_536);
            this.ownedCallbackExecutor = pool;
            this.callbackExecutor = pool;
        } else {
            this.ownedCallbackExecutor = null;
            this.callbackExecutor = b.callbackExecutor;
        }
        this.transport = new ClientTransport(options, serializer);
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
     * @throws io.courier.rpc.tls.TlsHandshakeException when the reference has no TLS settings (nor
     *     the client) and every provider the registry reports so far requires TLS
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
        Directory directory = new Directory(config.serviceKey());
        directories.add(directory);
        ClientTls tls = config.tls() != null ? config.tls() : options.tls();
        directory.onChange(endpoints -> {
            // A plaintext reference does not knock on providers that announced they require TLS.
            endpoints.stream().filter(e -> tls != null || !e.instance().requiresTls())
                    .forEach(e -> transport.connect(e.address(), tls));
            retainLiveConnections();
        });
        Registry source;
        if (!config.addresses().isEmpty()) {
            source = null;
            directory.onProviders(config.serviceKey(), config.addresses().stream()
                    .map(a -> ProviderInstance.of(config.serviceKey(), a.getHostString(), a.getPort())).toList());
        } else if (registry != null) {
            source = registry;
            registry.subscribe(config.serviceKey(), directory);
            subscriptions.add(directory);
        } else {
            throw new IllegalArgumentException("Reference to " + config.serviceKey()
                    + " has no provider address and the client has no registry");
        }
        if (config.check() || tls == null) {
            try {
                if (tls == null) {
                    refuseIfAllRequireTls(config, directory);
                }
                if (config.check()) {
                    awaitAnyProvider(config, directory, tls);
                }
            } catch (RuntimeException e) {
                directories.remove(directory);
                if (source != null) {
                    source.unsubscribe(config.serviceKey(), directory);
                    subscriptions.remove(directory);
                }
                throw e;
            }
        }
        CallSender sender = tls != null ? (address, request) -> transport.send(address, tls, request)
                : new PlaintextCallSender(transport, directory);
        ClusterInvoker invoker = new ClusterInvoker(sender, directory, config.clusterPolicy(), retryBudget);
        T proxy = ProxyFactory.create(config, withCredentials(config, invoker), interceptors, options.requestTimeout(),
                callbackExecutor, source == null ? directory.addresses().toString() : "registry");
        invokers.add(invoker);
        return proxy;
    }

    /**
     * Returns the end of a reference's interceptor chain: it adds the call's credentials, so that
     * no client interceptor sees the token, then hands the call to the cluster.
     */
    private java.util.function.Function<RpcRequest, CompletableFuture<RpcResponse>> withCredentials(
            ReferenceConfig<?> config, ClusterInvoker invoker) {
        CallCredentials effective = config.credentials() != null ? config.credentials() : credentials;
        if (effective == null || effective == CallCredentials.NONE) {
            return invoker::invoke;
        }
        return request -> {
            String token = effective.bearerToken(request.method());
            return invoker.invoke(token == null ? request
                    : request.withAttachments(Map.of(RpcContext.AUTHORIZATION_ATTACHMENT, "Bearer " + token)));
        };
    }

    /** Closes connections to providers no reference routes to any more, so they stop reconnecting. */
    private void retainLiveConnections() {
        java.util.Set<InetSocketAddress> live = new java.util.HashSet<>();
        for (Directory d : directories) {
            live.addAll(d.addresses());
        }
        transport.retainOnly(live);
    }

    /** Fails a plaintext reference whose known providers all announced that they require TLS. */
    private static void refuseIfAllRequireTls(ReferenceConfig<?> config, Directory directory) {
        var endpoints = directory.endpoints();
        if (!endpoints.isEmpty() && endpoints.stream().allMatch(e -> e.instance().requiresTls())) {
            throw PlaintextCallSender.refusal(endpoints.get(0).key(), config.serviceKey()
                    + " (every provider: " + endpoints.stream().map(e -> e.key()).toList() + ")");
        }
    }

    private void awaitAnyProvider(ReferenceConfig<?> config, Directory directory, ClientTls tls) {
        long deadline = System.nanoTime() + options.connectTimeout().toNanos() + 500_000_000L;
        Throwable last = null;
        try {
            directory.firstProviders().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            for (var endpoint : directory.endpoints()) {
                try {
                    transport.connect(endpoint.address(), tls)
                            .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return;
                } catch (ExecutionException e) {
                    last = e.getCause();
                }
            }
        } catch (TimeoutException e) {
            last = e;
        } catch (ExecutionException e) {
            last = e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(RpcErrorCode.CANCELLED, "Interrupted while connecting", e);
        }
        throw new RpcException(RpcErrorCode.CONNECT_FAILED, "No provider of " + config.serviceKey() + " answered at "
                + directory.addresses() + (last == null ? "" : ": " + last.getMessage()), last);
    }

    /** Returns the references created so far. */
    public List<ReferenceConfig<?>> references() {
        return List.copyOf(proxies.keySet());
    }

    /** Returns the routing table of every reference, by service key. */
    public Map<String, List<String>> routingTable() {
        Map<String, List<String>> table = new java.util.LinkedHashMap<>();
        for (Directory d : directories) {
            table.put(d.serviceKey().toString(), d.endpoints().stream().map(Object::toString).toList());
        }
        return table;
    }

    /**
     * Returns a snapshot of every reference's providers by service key: calls in flight, cool-down
     * after connection failures, and outlier ejection (see
     * {@link io.courier.rpc.cluster.OutlierDetection}). References to one service key with
     * different settings have their own providers' state; their lists are joined.
     */
    public Map<String, List<EndpointStatus>> endpointStatuses() {
        Map<String, List<EndpointStatus>> statuses = new java.util.LinkedHashMap<>();
        for (ClusterInvoker invoker : invokers) {
            statuses.computeIfAbsent(invoker.directory().serviceKey().toString(), k -> new ArrayList<>())
                    .addAll(invoker.endpointStatuses());
        }
        statuses.replaceAll((k, v) -> List.copyOf(v));
        return statuses;
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

    /** Closes every connection (pending calls fail with OUTCOME_UNKNOWN, or NOT_SENT when not yet written) and stops the client's threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (registry != null) {
            for (Directory d : subscriptions) {
                registry.unsubscribe(d.serviceKey(), d);
            }
        }
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
        private Registry registry;
        private RetryBudget retryBudget;
        private CallCredentials credentials;

        private Builder() {
        }

        /**
         * Adds credentials to every call, unless its reference sets its own (default none). They
         * are sent only over TLS unless {@link ClientOptions#allowInsecureCredentials()}.
         */
        public Builder credentials(CallCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * Finds the providers of references without addresses through this registry. The caller
         * keeps ownership and closes it after the client.
         */
        public Builder registry(Registry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Sets the retry budget shared by all references (default 20 % of calls plus 10 a second). */
        public Builder retryBudget(RetryBudget retryBudget) {
            this.retryBudget = Objects.requireNonNull(retryBudget, "retryBudget");
            return this;
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
