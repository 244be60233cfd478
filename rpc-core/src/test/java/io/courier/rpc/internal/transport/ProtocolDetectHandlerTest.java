package io.courier.rpc.internal.transport;

import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.http.HttpCall;
import io.courier.rpc.internal.http.HttpCallDispatcher;
import io.courier.rpc.internal.http.HttpPipeline;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.ProtocolWarnings;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first byte decides once: Courier's magic keeps the binary handlers, an upper-case method
 * token swaps them for HTTP ones, and the detector is gone either way.
 */
class ProtocolDetectHandlerTest {

    interface Ping {
        String ping();
    }

    private final ProtocolPipeline protocol = ProtocolPipeline.forServer(1024 * 1024, new ProtocolWarnings(),
            new FrameWriter(1024 * 1024), Duration.ofSeconds(30));
    private final HttpPipeline http = new HttpPipeline(
            InvokerTable.of(List.of(ServiceConfig.of(Ping.class, () -> "pong"))), new JsonSerializer(),
            new HttpCallDispatcher() {
                @Override
                public void dispatch(Channel channel, HttpCall call) {
                    throw new AssertionError("no call in these tests");
                }

                @Override
                public boolean isServing() {
                    return true;
                }
            }, 64 * 1024, Duration.ofSeconds(30), "/");

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(ProtocolDetectHandler.NAME, new ProtocolDetectHandler(protocol, http));
        protocol.addTo(ch.pipeline(), ProtocolPipeline.DISPATCH, new ChannelInboundHandlerAdapter());
        return ch;
    }

    @Test
    void courierMagicKeepsTheBinaryPipeline() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xC0}));
        assertThat(ch.pipeline().names()).doesNotContain(ProtocolDetectHandler.NAME, "http-codec")
                .contains("frame", "codec", "idle", "heartbeat", ProtocolPipeline.DISPATCH);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anHttpMethodSwapsInTheHttpPipelineAndIsServed() {
        EmbeddedChannel ch = channel();
        // Split after the first byte: the decision needs no more, and nothing read is lost.
        ch.writeInbound(Unpooled.copiedBuffer("G", StandardCharsets.US_ASCII));
        assertThat(ch.pipeline().names()).doesNotContain(ProtocolDetectHandler.NAME, "frame", "codec", "heartbeat",
                ProtocolPipeline.DISPATCH).contains("http-codec", "http-aggregator", "http-call",
                ProtocolPipeline.ERRORS);
        ch.writeInbound(Unpooled.copiedBuffer("ET /health HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        ByteBuf answer = ch.readOutbound();
        try {
            String text = answer.toString(StandardCharsets.US_ASCII);
            assertThat(text).startsWith("HTTP/1.1 200 OK").endsWith("{\"status\":\"UP\"}");
        } finally {
            answer.release();
        }
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void otherFirstBytesStayWithTheBinaryPipeline() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer("g", StandardCharsets.US_ASCII));
        assertThat(ch.pipeline().names()).doesNotContain(ProtocolDetectHandler.NAME, "http-codec").contains("frame");
        ch.finishAndReleaseAll();
    }
}
