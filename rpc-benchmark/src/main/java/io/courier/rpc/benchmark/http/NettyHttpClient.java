package io.courier.rpc.benchmark.http;

import io.courier.rpc.benchmark.netty.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP phase's client: Netty's {@link HttpClientCodec} and {@link HttpObjectAggregator} on one
 * event loop, a pool of keep-alive connections (idle ones in a queue, a new one opened when none
 * is idle), the request written from the calling thread, the response's body copied out and the
 * future completed on the event loop. A response that does not keep the connection alive (Tomcat
 * closes one after {@code maxKeepAliveRequests}) retires its connection from the pool.
 *
 * <p>Thread-safe.
 */
public final class NettyHttpClient implements HttpJsonClient {

    private static final AttributeKey<CompletableFuture<HttpResponse>> PENDING = AttributeKey.valueOf("pending");
    private static final int MAX_RESPONSE_BYTES = 1 << 20;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final String hostHeader;
    private final Queue<Channel> idle = new ConcurrentLinkedQueue<>();

    private NettyHttpClient(String host, int port) {
        this.group = Transports.group(1, "http-client-io");
        this.hostHeader = host + ":" + port;
        ResponseHandler handler = new ResponseHandler();
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(Transports.channelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .remoteAddress(host, port)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("codec", new HttpClientCodec())
                                .addLast("aggregate", new HttpObjectAggregator(MAX_RESPONSE_BYTES))
                                .addLast("calls", handler);
                    }
                });
    }

    /** Returns a client of {@code host:port}; connections open on the first calls. */
    public static NettyHttpClient of(String host, int port) {
        return new NettyHttpClient(host, port);
    }

    @Override
    public CompletableFuture<HttpResponse> post(String path, byte[] body) {
        CompletableFuture<HttpResponse> result = new CompletableFuture<>();
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.HOST, hostHeader)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        Channel ch;
        while ((ch = idle.poll()) != null) {
            if (ch.isActive()) {
                send(ch, request, result);
                return result;
            }
        }
        bootstrap.connect().addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                send(f.channel(), request, result);
            } else {
                request.release();
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    private static void send(Channel ch, FullHttpRequest request, CompletableFuture<HttpResponse> result) {
        ch.attr(PENDING).set(result);
        ch.writeAndFlush(request).addListener((ChannelFuture f) -> {
            if (!f.isSuccess() && ch.attr(PENDING).compareAndSet(result, null)) {
                result.completeExceptionally(f.cause());
                ch.close();
            }
        });
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Completes each connection's pending call. Shared: it keeps no state of its own. */
    @io.netty.channel.ChannelHandler.Sharable
    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            CompletableFuture<HttpResponse> pending = ctx.channel().attr(PENDING).getAndSet(null);
            HttpResponse r = new HttpResponse(response.status().code(),
                    ByteBufUtil.getBytes(response.content()));
            // Back in the pool before the caller's callback sends its next call.
            if (HttpUtil.isKeepAlive(response)) {
                idle.offer(ctx.channel());
            } else {
                ctx.close();
            }
            if (pending != null) {
                pending.complete(r);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            CompletableFuture<HttpResponse> pending = ctx.channel().attr(PENDING).getAndSet(null);
            if (pending != null) {
                pending.completeExceptionally(new IOException("Connection closed before the response"));
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            CompletableFuture<HttpResponse> pending = ctx.channel().attr(PENDING).getAndSet(null);
            if (pending != null) {
                pending.completeExceptionally(cause);
            }
            ctx.close();
        }
    }
}
