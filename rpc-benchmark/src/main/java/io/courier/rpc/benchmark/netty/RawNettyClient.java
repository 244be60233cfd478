package io.courier.rpc.benchmark.netty;

import io.courier.rpc.benchmark.AsyncProfileService;
import io.courier.rpc.benchmark.AsyncUserService;
import io.courier.rpc.benchmark.Page;
import io.courier.rpc.benchmark.Profile;
import io.courier.rpc.benchmark.User;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.flush.FlushConsolidationHandler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The raw reference consumer: one connection on one event loop, requests encoded on the calling
 * thread into pooled direct buffers, one {@code writeAndFlush} per call, responses decoded and
 * futures completed on the event loop. Optionally a {@link FlushConsolidationHandler} (the one
 * Courier's client uses) turns the flushes of calls issued while a read is in progress into one
 * syscall per read. No timeouts, no retries, no interceptors: the least a JVM
 * RPC client can do.
 *
 * <p>Thread-safe.
 */
final class RawNettyClient implements AsyncUserService, AsyncProfileService, AutoCloseable {

    private static final Function<ByteBuf, Boolean> BOOLEAN = ByteBuf::readBoolean;
    private static final Function<ByteBuf, User> USER = UserCodec::readUser;
    private static final Function<ByteBuf, Page<User>> PAGE = UserCodec::readPage;
    private static final Function<ByteBuf, Profile> PROFILE = UserCodec::readProfile;

    private final EventLoopGroup group;
    private final Channel channel;
    private final RawClientHandler handler;

    private RawNettyClient(EventLoopGroup group, Channel channel, RawClientHandler handler) {
        this.group = group;
        this.channel = channel;
        this.handler = handler;
    }

    /**
     * Connects; returns once the connection is open.
     *
     * @param batchFlushes whether to consolidate flushes as Courier's client does
     */
    static RawNettyClient connect(String host, int port, boolean batchFlushes) throws InterruptedException {
        EventLoopGroup group = Transports.group(1, "raw-netty-client-io");
        RawClientHandler handler = new RawClientHandler();
        try {
            Channel channel = new Bootstrap()
                    .group(group)
                    .channel(Transports.channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (batchFlushes) {
                                // Courier's client batching: calls written while responses are being
                                // read leave in one syscall when the read ends.
                                ch.pipeline().addLast("flush", new FlushConsolidationHandler(256, true));
                            }
                            ch.pipeline().addLast("frame", new RawFrameDecoder()).addLast("calls", handler);
                        }
                    })
                    .connect(host, port).sync().channel();
            return new RawNettyClient(group, channel, handler);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    @Override
    public CompletableFuture<Boolean> existUser(String email) {
        ByteBuf frame = newRequest(RawProtocol.EXIST_USER, 64);
        UserCodec.writeString(frame, email);
        return send(frame, BOOLEAN);
    }

    @Override
    public CompletableFuture<User> getUser(long id) {
        ByteBuf frame = newRequest(RawProtocol.GET_USER, 32);
        frame.writeLong(id);
        return send(frame, USER);
    }

    @Override
    public CompletableFuture<Page<User>> listUser(int pageNo) {
        ByteBuf frame = newRequest(RawProtocol.LIST_USER, 32);
        frame.writeInt(pageNo);
        return send(frame, PAGE);
    }

    @Override
    public CompletableFuture<Boolean> createUser(User user) {
        ByteBuf frame = newRequest(RawProtocol.CREATE_USER, 512);
        try {
            UserCodec.writeUser(frame, user);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        return send(frame, BOOLEAN);
    }

    @Override
    public CompletableFuture<Profile> getProfile(long id, int bioBytes) {
        ByteBuf frame = newRequest(RawProtocol.GET_PROFILE, 32);
        frame.writeLong(id).writeInt(bioBytes);
        return send(frame, PROFILE);
    }

    private ByteBuf newRequest(byte method, int capacity) {
        // The request id is filled in on the event loop, which numbers calls without atomics.
        return channel.alloc().ioBuffer(capacity).writeInt(0).writeLong(0).writeByte(method);
    }

    private <T> CompletableFuture<T> send(ByteBuf frame, Function<ByteBuf, T> decoder) {
        frame.setInt(0, frame.readableBytes() - RawProtocol.LENGTH_FIELD);
        RawCall<T> call = new RawCall<>(decoder);
        handler.send(frame, call);
        return call;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(6, TimeUnit.SECONDS);
    }
}
