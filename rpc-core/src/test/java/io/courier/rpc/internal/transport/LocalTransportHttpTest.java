package io.courier.rpc.internal.transport;

import io.courier.rpc.RpcServer;
import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.config.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP detection runs on local channels as on TCP: the same pipeline answers a JSON call. */
@Timeout(30)
class LocalTransportHttpTest {

    /** The service called over HTTP. */
    public interface Greeter {
        String greet(String name);
    }

    @Test
    void aLocalServerAnswersHttpToo() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try (RpcServer server = RpcServer.builder()
                .options(ServerOptions.builder().host("127.0.0.1").port(0).transport(Transport.LOCAL)
                        .shutdownGrace(Duration.ofSeconds(1)).build())
                .service(Greeter.class, name -> "Hello, " + name).build().start()) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            Channel channel = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                    new SimpleChannelInboundHandler<FullHttpResponse>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                            answer.complete(r.status().code() + " "
                                                    + r.content().toString(StandardCharsets.UTF_8));
                                        }
                                    });
                        }
                    })
                    .connect(LocalAddresses.of(server.address())).sync().channel();
            byte[] body = "[\"Ada\"]".getBytes(StandardCharsets.UTF_8);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    "/rpc/" + Greeter.class.getName() + "/greet", Unpooled.wrappedBuffer(body));
            request.headers().set(HttpHeaderNames.HOST, "127.0.0.1")
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            channel.writeAndFlush(request);

            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("200 \"Hello, Ada\"");
            channel.close().sync();
        } finally {
            group.shutdownGracefully(100, 1000, TimeUnit.MILLISECONDS).sync();
        }
    }
}
