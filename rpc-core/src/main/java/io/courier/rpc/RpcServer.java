package io.courier.rpc;

import io.courier.rpc.auth.Authenticator;
import io.courier.rpc.auth.Authorizer;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.interceptor.AdmissionControl;
import io.courier.rpc.interceptor.RpcExceptionMapper;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.courier.rpc.registry.ProviderInstance;
import io.courier.rpc.registry.Registry;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.Serializers;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import io.courier.rpc.internal.transport.ServerTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A Courier provider: exports service implementations on a TCP port.
 *
 * <pre>{@code
 * try (RpcServer server = RpcServer.builder()
 *         .options(ServerOptions.builder().port(7070).build())
 *         .service(ServiceConfig.of(UserService.class, new UserServiceImpl()))
 *         .build()
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. The set of services is fixed when the server is built. Requests are decoded
 * on Netty event loops and run on a bounded business executor; when it is full, callers get
 * {@link io.courier.rpc.RpcErrorCode#SERVER_BUSY} at once. {@link #close()} stops
 * accepting, lets in-flight calls finish within {@link ServerOptions#shutdownGrace()}, then
 * releases every thread and connection.
 */
public final class RpcServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

    private enum State { NEW, STARTED, CLOSED }

    private final ServerOptions options;
    private final InvokerTable invokers;
    private final Serializers serializers;
    private final ExecutorService ownedExecutor;
    private final ServerTransport transport;
    private final Registry registry;
    private final String advertisedHost;
    private final Set<String> tags;
    private final List<ProviderInstance> registered = new ArrayList<>();
    private boolean withdrawn;
    private State state = State.NEW;
    private InetSocketAddress boundAddress;

    private RpcServer(Builder b) {
        this.options = b.options;
        this.registry = b.registry;
        this.advertisedHost = b.advertisedHost;
        this.tags = Set.copyOf(b.tags);
        this.serializers = Serializers.of(b.serializers.isEmpty()
                ? List.of(KryoSerializer.ofDefaults(), new JsonSerializer()) : b.serializers);
        for (ServiceConfig<?> service : b.services) {
            serializers.allowTypesOf(service.serviceInterface());
        }
        List<ServerInterceptor> interceptors = new ArrayList<>(b.interceptors);
        if (!b.exceptionMappers.isEmpty()) {
            // Innermost: every other interceptor sees the mapped code.
            interceptors.add(new ExceptionMappingInterceptor(b.exceptionMappers));
        }
        this.invokers = InvokerTable.of(b.services, List.copyOf(interceptors))
                .withAuthentication(b.authenticator, b.authorizer);
        this.ownedExecutor = b.executor != null ? null
                : b.callThreads != null ? new PerCallExecutor(b.callThreads, options.workerThreads())
                : newBusinessExecutor(options);
        this.transport = new ServerTransport(options, invokers, serializers,
                b.executor == null ? ownedExecutor : b.executor, List.copyOf(b.admissions));
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this server
     * @throws IllegalStateException when the port cannot be bound or the server was started before
     * @throws RuntimeException what the registry throws when a service cannot be registered; the
     *         server is then closed again
     */
    public synchronized RpcServer start() {
        if (state != State.NEW) {
            throw new IllegalStateException("Server already " + state.name().toLowerCase());
        }
        try {
            boundAddress = transport.bind();
        } catch (RuntimeException e) {
            state = State.CLOSED;
            if (ownedExecutor != null) {
                ownedExecutor.shutdownNow();
            }
            throw e;
        }
        state = State.STARTED;
        if (registry != null) {
            try {
                registerServices();
            } catch (RuntimeException e) {
                // A server nobody can discover (e.g. the registry refused its credentials) must not stay bound.
                close();
                throw e;
            }
        }
        return this;
    }

    private void registerServices() {
        String host = advertisedHost != null ? advertisedHost : advertisableHost(boundAddress);
        Map<String, String> metadata = new java.util.HashMap<>(Map.of(
                "protocol", String.valueOf(RpcFrame.VERSION),
                "serialization", String.join(",", serializers.all().stream().map(Serializer::name).toList()),
                "startTime", String.valueOf(System.currentTimeMillis())));
        if (options.tls() != null) {
            // Consumers without TLS then fail fast with a clear error instead of being refused.
            metadata.put(ProviderInstance.METADATA_TLS, "true");
        }
        for (ServiceConfig<?> service : invokers.services()) {
            ProviderInstance instance = new ProviderInstance(service.serviceKey(), host, boundAddress.getPort(),
                    service.weight(), tags, metadata);
            registry.register(instance);
            registered.add(instance);
        }
    }

    /** The bound address, or this machine's first non-loopback address when bound to all interfaces. */
    private static String advertisableHost(InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        if (address != null && !address.isAnyLocalAddress()) {
            return address.getHostAddress();
        }
        try {
            for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (java.net.SocketException e) {
            // Fall through to loopback: the best that can be advertised without interfaces.
        }
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    /** Returns the address actually bound (with the real port when 0 was configured). */
    public synchronized InetSocketAddress address() {
        if (boundAddress == null) {
            throw new IllegalStateException("Server not started");
        }
        return boundAddress;
    }

    /** Whether the server is started and not yet closed. */
    public synchronized boolean isRunning() {
        return state == State.STARTED;
    }

    /** Returns the options this server was built with. */
    public ServerOptions options() {
        return options;
    }

    /** Returns the exported services. */
    public List<ServiceConfig<?>> services() {
        return invokers.services();
    }

    /** Returns the method signatures of every exported service, by service key. */
    public Map<String, List<String>> describeServices() {
        return invokers.describe();
    }

    /** Returns the number of open consumer connections. */
    public int connectionCount() {
        return transport.connectionCount();
    }

    /** Returns the number of calls accepted and not yet answered. */
    public int inFlightCount() {
        return transport.inFlightCount();
    }

    /**
     * Returns the number of accepted calls waiting for a thread of the business executor (the
     * server's own pool or the one given to {@link Builder#executor}); they count as in flight too.
     */
    public int queuedCount() {
        return transport.queuedCount();
    }

    /** Returns the serializers this server accepts. */
    public Serializers serializers() {
        return serializers;
    }

    /**
     * Withdraws this server's services from its registry, so that consumers stop choosing it,
     * while it keeps serving the calls that still come (for example when the application stops
     * accepting traffic before a shutdown). Idempotent; {@link #announce()} undoes it.
     */
    public synchronized void withdraw() {
        if (state == State.STARTED && !withdrawn && registry != null) {
            withdrawn = true;
            unregisterAll();
            log.info("Withdrew {} services from the registry", registered.size());
        }
    }

    /** Announces the services again after {@link #withdraw()}; does nothing otherwise. */
    public synchronized void announce() {
        if (state == State.STARTED && withdrawn && registry != null) {
            withdrawn = false;
            registered.forEach(registry::register);
            log.info("Announced {} services to the registry again", registered.size());
        }
    }

    /** Whether the services are withdrawn from the registry while the server runs. */
    public synchronized boolean isWithdrawn() {
        return withdrawn;
    }

    private void unregisterAll() {
        for (ProviderInstance instance : registered) {
            try {
                registry.unregister(instance);
            } catch (RuntimeException e) {
                log.warn("Cannot unregister {} from the registry", instance.serviceKey(), e);
            }
        }
    }

    /**
     * Stops accepting, drains in-flight calls up to the shutdown grace, then closes connections
     * and threads. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
        }
        // Withdraw from the registry first, so consumers stop sending before we drain.
        unregisterAll();
        transport.close(options.shutdownGrace());
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
            try {
                if (!ownedExecutor.awaitTermination(Math.max(1, options.shutdownGrace().toMillis()), TimeUnit.MILLISECONDS)) {
                    ownedExecutor.shutdownNow();
                }
            } catch (InterruptedException e) {
                ownedExecutor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ExecutorService newBusinessExecutor(ServerOptions options) {
        return BusinessExecutor.create(options.workerThreads(), options.queueSize());
    }

    /** Builds an {@link RpcServer}; not thread-safe. */
    public static final class Builder {

        private ServerOptions options = ServerOptions.ofDefaults();
        private final List<ServiceConfig<?>> services = new ArrayList<>();
        private final List<Serializer> serializers = new ArrayList<>();
        private final List<ServerInterceptor> interceptors = new ArrayList<>();
        private final List<RpcExceptionMapper> exceptionMappers = new ArrayList<>();
        private final List<AdmissionControl> admissions = new ArrayList<>();
        private ExecutorService executor;
        private ThreadFactory callThreads;
        private Registry registry;
        private String advertisedHost;
        private final Set<String> tags = new java.util.LinkedHashSet<>();
        private Authenticator authenticator;
        private Authorizer authorizer;

        private Builder() {
        }

        /**
         * Requires every call to authenticate: the authenticator turns its credentials into the
         * principal of {@link RpcContext#principal()}, on the event loop before the call is
         * queued, and calls it refuses end in {@link RpcErrorCode#UNAUTHENTICATED} without
         * running or decoding anything (default: nobody is authenticated).
         */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /**
         * Refuses authenticated principals the methods the authorizer denies, with
         * {@link RpcErrorCode#PERMISSION_DENIED}, before the call is queued (default: every
         * authenticated caller may call every method). Needs an {@link #authenticator}.
         */
        public Builder authorizer(Authorizer authorizer) {
            this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
            return this;
        }

        /**
         * Announces every exported service in this registry once the port is bound, and
         * withdraws them first on close. The caller keeps ownership and closes it after the server.
         */
        public Builder registry(Registry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Sets the host consumers should connect to (default: the bound address, or the first non-loopback one). */
        public Builder advertisedHost(String advertisedHost) {
            this.advertisedHost = Objects.requireNonNull(advertisedHost, "advertisedHost").strip();
            return this;
        }

        /** Tags this provider (e.g. {@code canary}) so consumers can route to it by tag. */
        public Builder tags(String... tags) {
            for (String tag : tags) {
                this.tags.add(Objects.requireNonNull(tag, "tag").strip());
            }
            return this;
        }

        /** Adds a server interceptor; interceptors run in the order added, the first outermost. */
        public Builder interceptor(ServerInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Adds a mapper of business exceptions to error codes; mappers are asked in the order
         * added, and the first that maps an exception decides the code its caller gets.
         */
        public Builder exceptionMapper(RpcExceptionMapper mapper) {
            exceptionMappers.add(Objects.requireNonNull(mapper, "mapper"));
            return this;
        }

        /** Adds an admission check (rate or concurrency limit) run before calls reach the executor. */
        public Builder admissionControl(AdmissionControl admissionControl) {
            admissions.add(Objects.requireNonNull(admissionControl, "admissionControl"));
            return this;
        }

        /** Sets the options (default {@link ServerOptions#ofDefaults()}). */
        public Builder options(ServerOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Exports a service. */
        public Builder service(ServiceConfig<?> service) {
            services.add(Objects.requireNonNull(service, "service"));
            return this;
        }

        /** Exports an implementation of an interface with no version or group. */
        public <T> Builder service(Class<T> serviceInterface, T implementation) {
            return service(ServiceConfig.of(serviceInterface, implementation));
        }

        /** Adds a serializer the server accepts (default: Kryo and JSON). */
        public Builder serializer(Serializer serializer) {
            serializers.add(Objects.requireNonNull(serializer, "serializer"));
            return this;
        }

        /**
         * Runs service methods on this executor instead of the server's own bounded pool. The
         * caller keeps ownership: the server does not shut it down. It should reject work when
         * full (so callers get SERVER_BUSY) rather than block the event loop.
         */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Runs each service method on a new thread of {@code threads}, typically virtual threads
         * ({@code Thread.ofVirtual().name("courier-call-", 0).factory()} on Java 21 or later),
         * instead of the server's pool: at most {@link ServerOptions#workerThreads()} methods run
         * at once, and a call beyond that is answered {@code SERVER_BUSY} at once (nothing
         * waits in a queue, so {@link ServerOptions#queueSize()} does not apply). The server
         * owns the threads: closing it lets running calls finish within the shutdown grace.
         * Ignored when {@link #executor} is set.
         */
        public Builder threadPerCall(ThreadFactory threads) {
            this.callThreads = Objects.requireNonNull(threads, "threads");
            return this;
        }

        /** Returns a server, not yet started; fails when two services share a key. */
        public RpcServer build() {
            return new RpcServer(this);
        }
    }
}
