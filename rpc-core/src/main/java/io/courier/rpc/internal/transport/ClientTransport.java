package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcException;
import io.courier.rpc.config.ClientOptions;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.tls.ClientTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Netty side of a consumer: a pool of multiplexed connections per provider address and TLS
 * settings, all on one event-loop group, with call timeouts on one {@link HashedWheelTimer}.
 * A TLS connection starts with the {@code ssl} handler ({@link io.netty.handler.ssl.SslHandler})
 * and counts as connected once its handshake succeeded and the provider answered a ping.
 *
 * <p>Thread-safe. Connections are created on first use and reconnect on their own until
 * {@link #close()}.
 */
public final class ClientTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClientTransport.class);
    /** The longest a connection to a provider no longer routed to stays open for its pending calls. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

    private final ClientOptions options;
    private final FrameWriter writer;
    private final Set<ClientTls> announcedTls = ConcurrentHashMap.newKeySet();
    private final EventLoops loops;
    private final HashedWheelTimer timer;
    private final Bootstrap bootstrap;
    private final Map<PoolKey, ConnectionPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * Creates a transport; no connection is opened until a call or {@link #connect} needs one.
     * Each call's outcome is delivered on its request's completion executor.
     */
    public ClientTransport(ClientOptions options, Serializer serializer) {
        this.options = options;
        this.loops = EventLoops.create(options.ioThreads(), "courier-client-io", options.transport());
        this.timer = new HashedWheelTimer(new DefaultThreadFactory("courier-client-timer", true), 10,
                TimeUnit.MILLISECONDS);
        FrameWriter writer = new FrameWriter(options.maxFrameSize());
        this.writer = writer;
        ProtocolWarnings warnings = new ProtocolWarnings();
        ProtocolPipeline protocol = ProtocolPipeline.forClient(options.maxFrameSize(), warnings, writer,
                options.heartbeatInterval());
        this.bootstrap = new Bootstrap()
                .group(loops.group())
                .channel(loops.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        options.connectTimeout().toMillis()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1024 * 1024, 4 * 1024 * 1024))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        PoolKey key = ch.attr(POOL_KEY).get();
                        if (key != null && key.tls() != null) {
                            addTls(ch, key);
                        }
                        protocol.addTo(ch.pipeline(), "calls", new ClientCallHandler(writer, serializer, timer,
                                options.maxPendingCalls(), warnings, options.allowInsecureCredentials()));
                    }
                });
        if (!loops.isLocal()) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true);
        }
        if (options.tls() != null) {
            announce(options.tls());
        }
    }

    /** Adds {@code ssl} and {@code tls} first: TLS wraps every byte of the Courier protocol. */
    private void addTls(Channel ch, PoolKey key) {
        String host = key.address().getHostString();
        int port = key.address().getPort();
        io.netty.handler.ssl.SslHandler ssl = TlsEngines.clientHandler(key.tls(), ch.alloc(), host, port,
                options.connectTimeout());
        ch.pipeline().addLast(TlsSniffHandler.NAME, ssl)
                .addLast(ClientTlsHandler.NAME, new ClientTlsHandler(ch.newPromise(), host + ":" + port,
                        key.tls().hasClientCertificate(), writer, options.connectTimeout().toMillis()));
    }

    /** Logs once per TLS settings which implementation runs them. */
    private void announce(ClientTls tls) {
        if (announcedTls.add(tls)) {
            log.info("Courier client TLS: {} via {}, host-name verification {}", tls,
                    TlsEngines.describe(tls.context()), tls.hostnameVerification() ? "on" : "off");
        }
    }

    /** Sends a call to a provider address over one of its pooled connections, with the client's TLS settings. */
    public CompletableFuture<RpcResponse> send(InetSocketAddress address, RpcRequest request) {
        return send(address, options.tls(), request);
    }

    /**
     * Sends a call to a provider address over one of the connections pooled for these TLS settings.
     *
     * @param tls the TLS settings, or {@code null} for plaintext
     */
    public CompletableFuture<RpcResponse> send(InetSocketAddress address, ClientTls tls, RpcRequest request) {
        if (closed) {
            return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.NOT_SENT, "Client is closed"));
        }
        return pool(address, tls).next().send(request);
    }

    /** Opens the connections to an address with the client's TLS settings; completes once one is open. */
    public CompletableFuture<Void> connect(InetSocketAddress address) {
        return connect(address, options.tls());
    }

    /**
     * Opens the connections to an address with these TLS settings ({@code null} for plaintext);
     * the future completes once at least one is open.
     */
    public CompletableFuture<Void> connect(InetSocketAddress address, ClientTls tls) {
        if (closed) {
            return CompletableFuture.failedFuture(new RpcException(RpcErrorCode.CONNECT_FAILED, "Client is closed"));
        }
        ConnectionPool pool = pool(address, tls);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (ClientConnection c : pool.connections) {
            all.add(c.connect());
        }
        CompletableFuture<Void> any = new CompletableFuture<>();
        AtomicInteger failed = new AtomicInteger();
        for (CompletableFuture<Void> f : all) {
            f.whenComplete((v, t) -> {
                if (t == null) {
                    any.complete(null);
                } else if (failed.incrementAndGet() == all.size()) {
                    any.completeExceptionally(t);
                }
            });
        }
        return any;
    }

    /** Whether at least one connection to the address is open. */
    public boolean isConnected(InetSocketAddress address) {
        return pools.entrySet().stream().anyMatch(e -> e.getKey().address().equals(address)
                && e.getValue().connections.stream().anyMatch(ClientConnection::isActive));
    }

    /** Returns the number of open connections, by address. */
    public Map<InetSocketAddress, Integer> connectionCounts() {
        Map<InetSocketAddress, Integer> counts = new ConcurrentHashMap<>();
        pools.forEach((key, pool) -> counts.merge(key.address(),
                (int) pool.connections.stream().filter(ClientConnection::isActive).count(), Integer::sum));
        return counts;
    }

    /**
     * Closes the connections to every address not in {@code live} once the calls already sent on
     * them are answered or timed out (at most {@link #DRAIN_LIMIT}): a provider that left the
     * registry may still be serving them. No new calls go there through this transport's pools.
     */
    public void retainOnly(java.util.Set<InetSocketAddress> live) {
        pools.entrySet().removeIf(entry -> {
            if (live.contains(entry.getKey().address())) {
                return false;
            }
            entry.getValue().connections.forEach(c -> c.closeWhenIdle(DRAIN_LIMIT));
            return true;
        });
    }

    /** Returns {@code epoll}, {@code nio} or {@code local}. */
    public String transportName() {
        return loops.transportName();
    }

    /** Closes every connection, fails pending calls and stops the I/O and timer threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pools.values().forEach(p -> p.connections.forEach(ClientConnection::close));
        pools.clear();
        loops.shutdown(Duration.ofSeconds(5));
        timer.stop();
    }

    private ConnectionPool pool(InetSocketAddress address, ClientTls tls) {
        PoolKey key = new PoolKey(address, tls);
        ConnectionPool pool = pools.get(key);
        if (pool != null) {
            return pool;
        }
        return pools.computeIfAbsent(key, k -> {
            if (tls != null) {
                announce(tls);
            }
            // Each channel learns its address and TLS settings from the bootstrap that made it.
            return new ConnectionPool(address, loops.remoteAddress(address),
                    tls == null ? bootstrap : bootstrap.clone().attr(POOL_KEY, k), options, !loops.isLocal());
        });
    }

    private static final io.netty.util.AttributeKey<PoolKey> POOL_KEY =
            io.netty.util.AttributeKey.valueOf(ClientTransport.class, "poolKey");

    /**
     * What connections are pooled by: a TLS reference and a plaintext one to the same address
     * never share a connection. {@link ClientTls} compares by identity.
     */
    private record PoolKey(InetSocketAddress address, ClientTls tls) {
    }

    /** The connections to one address, picked round-robin, preferring ready ones. */
    private static final class ConnectionPool {

        private final List<ClientConnection> connections;
        private final AtomicInteger next = new AtomicInteger();

        ConnectionPool(InetSocketAddress address, java.net.SocketAddress remote, Bootstrap bootstrap,
                ClientOptions options, boolean failFastInBackoff) {
            List<ClientConnection> list = new ArrayList<>();
            for (int i = 0; i < options.connectionsPerAddress(); i++) {
                list.add(new ClientConnection(address, remote, bootstrap, options.reconnectDelayMin(),
                        options.reconnectDelayMax(), failFastInBackoff));
            }
            this.connections = List.copyOf(list);
        }

        ClientConnection next() {
            int size = connections.size();
            if (size == 1) {
                return connections.get(0);
            }
            int start = next.getAndIncrement() & Integer.MAX_VALUE;
            for (int i = 0; i < size; i++) {
                ClientConnection c = connections.get((start + i) % size);
                if (c.isReady()) {
                    return c;
                }
            }
            return connections.get(start % size);
        }
    }
}
