package io.courier.rpc.internal.transport;

import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.interceptor.AdmissionControl;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.http.HttpPipeline;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.serialization.DecodeBudget;
import io.courier.rpc.serialization.Serializers;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The Netty side of a provider: binds the port (a TCP one, or a local address in this JVM with
 * {@link io.courier.rpc.config.Transport#LOCAL}), builds each connection's pipeline and closes
 * everything in order on shutdown.
 *
 * <p>Thread-safe. {@link #bind()} once, {@link #close} once.
 */
public final class ServerTransport {

    private static final Logger log = LoggerFactory.getLogger(ServerTransport.class);

    /** Longest wait for consumers to acknowledge the going-away notice (within the grace). */
    private static final long GOAWAY_WAIT_MILLIS = 2000;
    /** How many synthetic ports a local server with port 0 tries before giving up. */
    private static final int MAX_LOCAL_BIND_ATTEMPTS = 100;

    private final ServerOptions options;
    private final EventLoops bossLoops;
    private final EventLoops ioLoops;
    private final ChannelGroup channels = new DefaultChannelGroup("courier-server", GlobalEventExecutor.INSTANCE);
    private final InFlightCalls inFlight = new InFlightCalls();
    private final ServerDispatchHandler dispatcher;
    private final ProtocolWarnings warnings = new ProtocolWarnings();
    private final ProtocolPipeline protocol;
    private final FrameWriter writer;
    private final HandshakeWarnings handshakeWarnings = new HandshakeWarnings();
    /** The HTTP handlers a connection gets when it speaks HTTP, or {@code null} when HTTP is off. */
    private final HttpPipeline http;
    private volatile Channel serverChannel;

    /** Creates a transport serving the given table; nothing is bound until {@link #bind()}. */
    public ServerTransport(ServerOptions options, InvokerTable invokers, Serializers serializers, Executor executor,
            List<AdmissionControl> admissions) {
        this.options = options;
        this.bossLoops = EventLoops.create(1, "courier-server-boss", options.transport());
        this.ioLoops = EventLoops.create(options.ioThreads(), "courier-server-io", options.transport());
        FrameWriter writer = new FrameWriter(options.maxFrameSize());
        this.writer = writer;
        this.protocol = ProtocolPipeline.forServer(options.maxFrameSize(), warnings, writer, options.idleTimeout());
        this.dispatcher = new ServerDispatchHandler(invokers, serializers, executor, writer, inFlight, channels,
                warnings, admissions, new DecodeBudget(options.maxDecodedCallSize(), options.decodeBudget()));
        this.http = options.httpEnabled() ? new HttpPipeline(invokers, jsonSerializer(serializers, invokers),
                dispatcher, options.httpMaxRequestSize(), options.idleTimeout(),
                options.httpConsoleEnabled() ? options.httpConsolePath() : null) : null;
    }

    /** The server's JSON serializer (its allowlist covers the services), or a fresh one when it has none. */
    private static JsonSerializer jsonSerializer(Serializers serializers, InvokerTable invokers) {
        if (serializers.byId(JsonSerializer.ID) instanceof JsonSerializer json) {
            return json;
        }
        JsonSerializer json = new JsonSerializer();
        for (ServiceConfig<?> service : invokers.services()) {
            json.allowTypesOf(service.serviceInterface());
        }
        return json;
    }

    /** Binds the configured address and returns the address actually bound. */
    public InetSocketAddress bind() {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossLoops.group(), ioLoops.group())
                .channel(ioLoops.serverChannelClass())
                // Flow control (ResponseQueueHandler): above 1 MiB unsent a connection pauses reading and
                // its answers wait unencoded; below 256 KiB both resume.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // First bytes decide: on a TLS port the sniffer becomes the SslHandler ("ssl").
                        ch.pipeline().addLast(TlsSniffHandler.NAME, new TlsSniffHandler(options.tls(), writer,
                                handshakeWarnings));
                        if (options.tls() != null) {
                            ch.pipeline().addLast(ServerTlsHandler.NAME, new ServerTlsHandler(handshakeWarnings));
                        }
                        // Then the protocol: binary unless the first bytes (after TLS) are an HTTP method.
                        if (http != null) {
                            ch.pipeline().addLast(ProtocolDetectHandler.NAME, new ProtocolDetectHandler(protocol, http));
                        }
                        protocol.addTo(ch.pipeline(), ProtocolPipeline.DISPATCH, dispatcher);
                        ch.pipeline().addBefore(ProtocolPipeline.DISPATCH, ResponseQueueHandler.NAME,
                                new ResponseQueueHandler(dispatcher.sender()));
                    }
                });
        InetSocketAddress bound;
        if (ioLoops.isLocal()) {
            bound = bindLocal(bootstrap);
        } else {
            bootstrap.option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true);
            serverChannel = bindOrFail(bootstrap, new InetSocketAddress(options.host(), options.port()));
            bound = (InetSocketAddress) serverChannel.localAddress();
        }
        log.info("Courier server listening on {} ({})", bound, ioLoops.transportName());
        if (options.tls() != null) {
            log.info("Courier server on {} requires TLS: {} via {}, client auth {}", bound, options.tls(),
                    TlsEngines.describe(options.tls().context()), options.tls().clientAuth());
        }
        return bound;
    }

    /**
     * Binds a {@link io.netty.channel.local.LocalAddress}: the configured port's, or with 0 the first
     * free one of a few synthetic ports, and returns the address the server reports for it.
     */
    private InetSocketAddress bindLocal(ServerBootstrap bootstrap) {
        int port = options.port();
        if (port != 0) {
            serverChannel = bindOrFail(bootstrap, LocalAddresses.of(port));
            return LocalAddresses.reported(options.host(), port);
        }
        int candidate = LocalAddresses.firstCandidate();
        for (int attempt = 1; ; attempt++) {
            ChannelFuture bind = bootstrap.bind(LocalAddresses.of(candidate)).awaitUninterruptibly();
            if (bind.isSuccess()) {
                serverChannel = bind.channel();
                return LocalAddresses.reported(options.host(), candidate);
            }
            if (attempt == MAX_LOCAL_BIND_ATTEMPTS) {
                throw bindFailure(bind, "a synthetic local port");
            }
            candidate = LocalAddresses.nextCandidate(candidate);
        }
    }

    private Channel bindOrFail(ServerBootstrap bootstrap, java.net.SocketAddress address) {
        ChannelFuture bind = bootstrap.bind(address).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw bindFailure(bind, options.host() + ":" + options.port());
        }
        return bind.channel();
    }

    private IllegalStateException bindFailure(ChannelFuture bind, String what) {
        // Netty rethrows bind failures as undeclared IOExceptions: inspect the cause instead.
        shutdownLoops(Duration.ofSeconds(1));
        return new IllegalStateException("Cannot bind " + what + ": " + bind.cause().getMessage(), bind.cause());
    }

    /** Returns the number of open client connections. */
    public int connectionCount() {
        return channels.size();
    }

    /** Returns the number of calls accepted and not yet answered. */
    public int inFlightCount() {
        return inFlight.count();
    }

    /** Returns the number of accepted calls waiting for a thread of the business executor. */
    public int queuedCount() {
        return inFlight.queuedCount();
    }

    /**
     * Returns the number of answers that never reached the socket (the connection failed under
     * them); each was logged with its request id.
     */
    public long failedAnswerWrites() {
        return dispatcher.sender().failures().failedWrites();
    }

    /** Returns {@code epoll}, {@code nio} or {@code local}. */
    public String transportName() {
        return ioLoops.transportName();
    }

    /**
     * Stops accepting connections, refuses new calls, waits up to {@code grace} for in-flight
     * calls, then closes every connection and the event loops.
     *
     * @return whether every in-flight call finished within the grace period
     */
    public boolean close(Duration grace) {
        // First the going-away notice, so consumers send new calls elsewhere before any is
        // refused, and wait until each connection has delivered what it sent before reading it.
        try {
            dispatcher.goAway().get(Math.max(1, Math.min(grace.toMillis(), GOAWAY_WAIT_MILLIS)), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            log.debug("Not every consumer acknowledged the going-away notice: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Channel channel = serverChannel;
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        dispatcher.shutDown();
        boolean drained;
        try {
            drained = inFlight.awaitIdle(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            log.warn("Closing with {} calls still in flight after {}", inFlight.count(), grace);
        }
        channels.close().awaitUninterruptibly();
        shutdownLoops(Duration.ofSeconds(5));
        return drained;
    }

    private void shutdownLoops(Duration timeout) {
        bossLoops.shutdown(timeout);
        ioLoops.shutdown(timeout);
    }
}
