package io.courier.rpc.internal.transport;

import io.courier.rpc.config.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An event-loop group with the matching channel classes: native epoll, NIO or in-JVM local
 * channels, as the options say.
 *
 * <p>Thread-safe. Owned by one server or client and shut down by it.
 */
final class EventLoops {

    /** The kinds of channel a group drives. */
    private enum Kind {
        EPOLL("epoll", EpollServerSocketChannel.class, EpollSocketChannel.class),
        NIO("nio", NioServerSocketChannel.class, NioSocketChannel.class),
        LOCAL("local", LocalServerChannel.class, LocalChannel.class);

        private final String name;
        private final Class<? extends ServerChannel> serverChannelClass;
        private final Class<? extends Channel> channelClass;

        Kind(String name, Class<? extends ServerChannel> serverChannelClass, Class<? extends Channel> channelClass) {
            this.name = name;
            this.serverChannelClass = serverChannelClass;
            this.channelClass = channelClass;
        }

        IoHandlerFactory ioHandlerFactory() {
            return switch (this) {
                case EPOLL -> EpollIoHandler.newFactory();
                case NIO -> NioIoHandler.newFactory();
                case LOCAL -> LocalIoHandler.newFactory();
            };
        }
    }

    /** How long a local group keeps running its peers' last tasks when shut down. */
    private static final long LOCAL_QUIET_MILLIS = 100;

    private final EventLoopGroup group;
    private final Kind kind;

    private EventLoops(EventLoopGroup group, Kind kind) {
        this.group = group;
        this.kind = kind;
    }

    /**
     * Creates a group.
     *
     * @param threads number of event loops, 0 for Netty's default
     * @param name prefix of the thread names
     * @param transport epoll, NIO, epoll where it loads, or local channels
     */
    static EventLoops create(int threads, String name, Transport transport) {
        Kind kind = transport == Transport.LOCAL ? Kind.LOCAL : transport.usesEpoll() ? Kind.EPOLL : Kind.NIO;
        return new EventLoops(new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                kind.ioHandlerFactory()), kind);
    }

    EventLoopGroup group() {
        return group;
    }

    Class<? extends ServerChannel> serverChannelClass() {
        return kind.serverChannelClass;
    }

    Class<? extends Channel> channelClass() {
        return kind.channelClass;
    }

    /** Whether channels are in-JVM local ones, which have no socket options and no TCP port. */
    boolean isLocal() {
        return kind == Kind.LOCAL;
    }

    /** Returns where a channel of this group connects to reach a provider's address. */
    SocketAddress remoteAddress(InetSocketAddress provider) {
        return isLocal() ? LocalAddresses.of(provider) : provider;
    }

    /** Returns {@code epoll}, {@code nio} or {@code local}. */
    String transportName() {
        return kind.name;
    }

    /** Shuts the loops down and waits up to {@code timeout} for their threads to end. */
    void shutdown(Duration timeout) {
        // A closing local channel hands its peer's close to the peer's loop, which may be the other
        // side's: a short quiet period lets those last tasks run instead of being rejected (and
        // logged by Netty) when both sides shut down at once. Socket channels need none.
        long quietMillis = isLocal() ? Math.min(LOCAL_QUIET_MILLIS, timeout.toMillis()) : 0;
        group.shutdownGracefully(quietMillis, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(timeout.toMillis() + 1000);
    }
}
