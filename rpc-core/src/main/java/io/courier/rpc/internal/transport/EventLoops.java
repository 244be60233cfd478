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
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An event-loop group with the matching channel classes: native epoll or NIO, as the options say.
 *
 * <p>Thread-safe. Owned by one server or client and shut down by it.
 */
final class EventLoops {

    private final EventLoopGroup group;
    private final boolean epoll;

    private EventLoops(EventLoopGroup group, boolean epoll) {
        this.group = group;
        this.epoll = epoll;
    }

    /**
     * Creates a group.
     *
     * @param threads number of event loops, 0 for Netty's default
     * @param name prefix of the thread names
     * @param transport epoll, NIO, or epoll where it loads
     */
    static EventLoops create(int threads, String name, Transport transport) {
        boolean epoll = transport.usesEpoll();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new EventLoops(new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory),
                epoll);
    }

    EventLoopGroup group() {
        return group;
    }

    Class<? extends ServerChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    Class<? extends Channel> channelClass() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    String transportName() {
        return epoll ? "epoll" : "nio";
    }

    /** Shuts the loops down and waits up to {@code timeout} for their threads to end. */
    void shutdown(Duration timeout) {
        group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(timeout.toMillis() + 1000);
    }
}
