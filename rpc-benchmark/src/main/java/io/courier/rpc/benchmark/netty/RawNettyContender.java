package io.courier.rpc.benchmark.netty;

import io.courier.rpc.benchmark.AsyncProfileService;
import io.courier.rpc.benchmark.AsyncUserService;
import io.courier.rpc.benchmark.FixedUserService;
import io.courier.rpc.benchmark.Page;
import io.courier.rpc.benchmark.Profile;
import io.courier.rpc.benchmark.ProfileService;
import io.courier.rpc.benchmark.User;
import io.courier.rpc.benchmark.UserService;
import io.courier.rpc.benchmark.contender.ClientAdapter;
import io.courier.rpc.benchmark.contender.Contender;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The reference ceiling: a hand-written length-prefixed protocol on Netty 4.2 with the same
 * transport as Courier (epoll when available), pooled direct buffers, TCP_NODELAY, zero-copy
 * frame slices, the {@link UserCodec} hand encoding, and the service run on the event loop, which
 * writes each response and flushes once per read. Blocking calls wait on the asynchronous call's
 * future.
 *
 * <p>Two variants differ only in the client's flushing. {@code raw-netty} flushes every call
 * (one {@code writeAndFlush}, one syscall per request): the reference the targets were
 * set against. {@code raw-netty-batched} adds the {@code FlushConsolidationHandler} Courier's own
 * client has, so requests issued while responses are being read leave in one syscall; with
 * callbacks that run on the event loop this batches whole rounds of calls and is the higher
 * ceiling.
 *
 * <p>Thread-safe (stateless).
 */
public final class RawNettyContender implements Contender {

    private final boolean batchFlushes;

    /** The reference: one flush per call. */
    public RawNettyContender() {
        this(false);
    }

    private RawNettyContender(boolean batchFlushes) {
        this.batchFlushes = batchFlushes;
    }

    /** The variant whose client consolidates flushes as Courier's does. */
    public static RawNettyContender batched() {
        return new RawNettyContender(true);
    }

    @Override
    public String name() {
        return batchFlushes ? "raw-netty-batched" : "raw-netty";
    }

    @Override
    public String description() {
        return "Hand-written Netty 4.2 client/server (" + (Transports.epoll() ? "epoll" : "nio")
                + "), length-prefixed frames, hand-coded binary body, service on the event loop, "
                + (batchFlushes ? "client flushes consolidated per read like Courier's" : "one client flush per call");
    }

    @Override
    public RunningServer startServer(String host, int port) throws InterruptedException {
        EventLoopGroup boss = Transports.group(1, "raw-netty-server-boss");
        EventLoopGroup workers = Transports.group(0, "raw-netty-server-io");
        FixedUserService service = new FixedUserService();
        RawServerHandler handler = new RawServerHandler(service, service);
        Channel server;
        try {
            server = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(Transports.serverChannelClass())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast("frame", new RawFrameDecoder()).addLast("service", handler);
                        }
                    })
                    .bind(host, port).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        return new RunningServer() {
            @Override
            public int port() {
                return ((InetSocketAddress) server.localAddress()).getPort();
            }

            @Override
            public void close() {
                server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
                workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(6, TimeUnit.SECONDS);
            }
        };
    }

    @Override
    public ClientAdapter connect(String host, int port) throws InterruptedException {
        RawNettyClient client = RawNettyClient.connect(host, port, batchFlushes);
        Blocking sync = new Blocking(client, client);
        return ClientAdapter.of(sync, client, new ClientAdapter.Profiles(sync, client), client::close);
    }

    /** Blocking calls: the asynchronous call, joined. */
    private static final class Blocking implements UserService, ProfileService {

        private final AsyncUserService async;
        private final AsyncProfileService profiles;

        Blocking(AsyncUserService async, AsyncProfileService profiles) {
            this.async = async;
            this.profiles = profiles;
        }

        @Override
        public Profile getProfile(long id, int bioBytes) {
            return profiles.getProfile(id, bioBytes).join();
        }

        @Override
        public boolean existUser(String email) {
            return async.existUser(email).join();
        }

        @Override
        public User getUser(long id) {
            return async.getUser(id).join();
        }

        @Override
        public Page<User> listUser(int pageNo) {
            return async.listUser(pageNo).join();
        }

        @Override
        public boolean createUser(User user) {
            return async.createUser(user).join();
        }
    }
}
