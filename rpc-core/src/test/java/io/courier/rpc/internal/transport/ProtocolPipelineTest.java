package io.courier.rpc.internal.transport;

import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.HeartbeatMessage;
import io.courier.rpc.internal.protocol.MessageType;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.internal.protocol.RequestMessage;
import io.courier.rpc.internal.protocol.RpcFrameDecoder;
import io.courier.rpc.internal.protocol.RpcMessageDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ProtocolPipeline}: the handlers every connection starts with, in order, and their idle settings. */
class ProtocolPipelineTest {

    private static final int MAX = 64 * 1024;

    private final FrameWriter writer = new FrameWriter(MAX);
    private final ProtocolWarnings warnings = new ProtocolWarnings();

    private static EmbeddedChannel channelWith(ProtocolPipeline protocol) {
        EmbeddedChannel ch = new EmbeddedChannel();
        protocol.addTo(ch.pipeline(), "side", new ChannelInboundHandlerAdapter());
        return ch;
    }

    private static void writeBytes(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertCommonHandlers(EmbeddedChannel ch) {
        assertThat(ch.pipeline().toMap().keySet())
                .containsExactly("flush", "frame", "codec", "idle", "heartbeat", "side", "errors");
        assertThat(ch.pipeline().get("flush")).isInstanceOf(FlushConsolidationHandler.class);
        assertThat(ch.pipeline().get("frame")).isInstanceOf(RpcFrameDecoder.class);
        assertThat(ch.pipeline().get("codec")).isInstanceOf(RpcMessageDecoder.class);
        assertThat(ch.pipeline().get("idle")).isInstanceOf(IdleStateHandler.class);
        assertThat(ch.pipeline().get("heartbeat")).isInstanceOf(HeartbeatHandler.class);
        assertThat(ch.pipeline().get("errors")).isSameAs(ConnectionErrorHandler.INSTANCE);
    }

    @Test
    void anUnhandledErrorClosesTheConnection() {
        EmbeddedChannel ch = channelWith(ProtocolPipeline.forServer(MAX, warnings, writer, Duration.ofSeconds(90)));
        ch.pipeline().fireExceptionCaught(new java.io.IOException("connection reset"));
        assertThat(ch.isOpen()).isFalse();
        EmbeddedChannel other = channelWith(ProtocolPipeline.forClient(MAX, warnings, writer, Duration.ofSeconds(5)));
        other.pipeline().fireExceptionCaught(new IllegalStateException("bug"));
        assertThat(other.isOpen()).isFalse();
        assertThat(ch.finish()).isFalse();
        assertThat(other.finish()).isFalse();
    }

    @Test
    void clientPrefixPingsAfterOneIntervalAndClosesAfterThree() {
        EmbeddedChannel ch = channelWith(ProtocolPipeline.forClient(MAX, warnings, writer, Duration.ofSeconds(5)));
        assertCommonHandlers(ch);
        IdleStateHandler idle = (IdleStateHandler) ch.pipeline().get("idle");
        assertThat(idle.getReaderIdleTimeInMillis()).isEqualTo(15_000);
        assertThat(idle.getWriterIdleTimeInMillis()).isEqualTo(5_000);
        assertThat(idle.getAllIdleTimeInMillis()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void serverPrefixNeverPingsAndClosesAfterTheIdleTimeout() {
        EmbeddedChannel ch = channelWith(ProtocolPipeline.forServer(MAX, warnings, writer, Duration.ofSeconds(90)));
        assertCommonHandlers(ch);
        IdleStateHandler idle = (IdleStateHandler) ch.pipeline().get("idle");
        assertThat(idle.getReaderIdleTimeInMillis()).isEqualTo(90_000);
        assertThat(idle.getWriterIdleTimeInMillis()).isZero();
        assertThat(idle.getAllIdleTimeInMillis()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void eachConnectionGetsItsOwnFrameDecoderAndIdleHandlerButSharesTheRest() {
        ProtocolPipeline protocol = ProtocolPipeline.forServer(MAX, warnings, writer, Duration.ofSeconds(90));
        EmbeddedChannel a = channelWith(protocol);
        EmbeddedChannel b = channelWith(protocol);
        assertThat(a.pipeline().get("frame")).isNotSameAs(b.pipeline().get("frame"));
        assertThat(a.pipeline().get("idle")).isNotSameAs(b.pipeline().get("idle"));
        assertThat(a.pipeline().get("codec")).isSameAs(b.pipeline().get("codec"));
        assertThat(a.pipeline().get("heartbeat")).isSameAs(b.pipeline().get("heartbeat"));
        assertThat(a.finish()).isFalse();
        assertThat(b.finish()).isFalse();
    }

    @Test
    void aWholeRequestFrameComesOutAsARequestMessage() {
        EmbeddedChannel ch = channelWith(ProtocolPipeline.forServer(MAX, warnings, writer, Duration.ofSeconds(90)));
        ByteBuf frame = writer.request(ByteBufAllocator.DEFAULT, 31, false, (byte) 1, "com.acme.Greeter", "greet",
                "java.lang.String", 500, Map.of("k", "v"),
                out -> writeBytes(out, "body".getBytes(StandardCharsets.UTF_8)));
        assertThat(ch.writeInbound(frame)).isTrue();
        RequestMessage request = ch.readInbound();
        try {
            assertThat(request.requestId()).isEqualTo(31);
            assertThat(request.serviceKey()).isEqualTo("com.acme.Greeter");
            assertThat(request.methodName()).isEqualTo("greet");
            assertThat(request.timeoutMillis()).isEqualTo(500);
            assertThat(request.attachments()).containsExactlyEntriesOf(Map.of("k", "v"));
            assertThat(request.content().toString(StandardCharsets.UTF_8)).isEqualTo("body");
        } finally {
            request.release();
        }
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aPingFrameIsAnsweredWithAPongFrameAndGoesNoFurther() {
        EmbeddedChannel ch = channelWith(ProtocolPipeline.forClient(MAX, warnings, writer, Duration.ofSeconds(5)));
        assertThat(ch.writeInbound(writer.heartbeat(ByteBufAllocator.DEFAULT, true, 99))).isFalse();
        ch.flushOutbound();
        ByteBuf pong = ch.readOutbound();
        try {
            assertThat(pong.getByte(3)).isEqualTo(MessageType.HEARTBEAT_PONG.value());
            assertThat(pong.getLong(8)).isEqualTo(99);
        } finally {
            pong.release();
        }
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void heartbeatHandlerSeesDecodedHeartbeats() {
        // Guards the order: the codec must sit before the heartbeat handler, or pings arrive as bytes.
        EmbeddedChannel ch = channelWith(ProtocolPipeline.forServer(MAX, warnings, writer, Duration.ofSeconds(90)));
        ch.pipeline().remove("heartbeat");
        ch.writeInbound(writer.heartbeat(ByteBufAllocator.DEFAULT, false, 5));
        assertThat((Object) ch.readInbound()).isEqualTo(new HeartbeatMessage(false, 5));
        assertThat(ch.finish()).isFalse();
    }
}
