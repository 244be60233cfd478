package io.courier.rpc.internal.transport;

import io.courier.rpc.config.ServerOptions;
import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.HeartbeatMessage;
import io.courier.rpc.internal.protocol.MessageType;
import io.courier.rpc.internal.protocol.RpcFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HeartbeatHandler}: answers pings, swallows pongs, pings when idle, closes when silent. */
class HeartbeatHandlerTest {

    private static final int TYPE_OFFSET = 3;
    private static final int REQUEST_ID_OFFSET = 8;

    private final FrameWriter writer = new FrameWriter(ServerOptions.DEFAULT_MAX_FRAME_SIZE);
    /** Records the user events that get past the heartbeat handler. */
    private final List<Object> eventsPassedOn = new ArrayList<>();

    private EmbeddedChannel channel(boolean warnOnSilence) {
        return new EmbeddedChannel(new HeartbeatHandler(writer, warnOnSilence), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                eventsPassedOn.add(evt);
            }
        });
    }

    /** Reads one outbound heartbeat frame, checks its type, and returns its id. */
    private static long readHeartbeat(EmbeddedChannel ch, MessageType expected) {
        ByteBuf frame = ch.readOutbound();
        assertThat(frame).as("outbound heartbeat frame").isNotNull();
        try {
            assertThat(frame.readableBytes()).isEqualTo(RpcFrame.FIXED_HEADER_LENGTH);
            assertThat(frame.getShort(0)).isEqualTo(RpcFrame.MAGIC);
            assertThat(frame.getByte(TYPE_OFFSET)).isEqualTo(expected.value());
            return frame.getLong(REQUEST_ID_OFFSET);
        } finally {
            frame.release();
        }
    }

    @Test
    void answersAPingWithAPongEchoingItsIdAndStopsIt() {
        EmbeddedChannel ch = channel(true);
        assertThat(ch.writeInbound(new HeartbeatMessage(true, 4242))).isFalse();
        assertThat(readHeartbeat(ch, MessageType.HEARTBEAT_PONG)).isEqualTo(4242);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void swallowsAPong() {
        EmbeddedChannel ch = channel(true);
        assertThat(ch.writeInbound(new HeartbeatMessage(false, 7))).isFalse();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void passesOtherMessagesOnUnchanged() {
        EmbeddedChannel ch = channel(false);
        Object message = new Object();
        assertThat(ch.writeInbound(message)).isTrue();
        assertThat((Object) ch.readInbound()).isSameAs(message);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void readerIdleClosesTheConnection() {
        for (boolean warnOnSilence : new boolean[] {true, false}) {
            EmbeddedChannel ch = channel(warnOnSilence);
            ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
            assertThat(ch.isOpen()).as("warnOnSilence=%s", warnOnSilence).isFalse();
            assertThat((Object) ch.readOutbound()).isNull();
            assertThat(eventsPassedOn).isEmpty();
            assertThat(ch.finish()).isFalse();
        }
    }

    @Test
    void writerIdleSendsAPingAndKeepsTheConnection() {
        EmbeddedChannel ch = channel(true);
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
        readHeartbeat(ch, MessageType.HEARTBEAT_PING);
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        readHeartbeat(ch, MessageType.HEARTBEAT_PING);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.isOpen()).isTrue();
        assertThat(eventsPassedOn).isEmpty();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void allIdleSendsAPingAndKeepsTheConnection() {
        EmbeddedChannel ch = channel(true);
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
        readHeartbeat(ch, MessageType.HEARTBEAT_PING);
        assertThat(ch.isOpen()).isTrue();
        assertThat(eventsPassedOn).isEmpty();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void passesOtherUserEventsOn() {
        EmbeddedChannel ch = channel(true);
        Object event = "some-event";
        ch.pipeline().fireUserEventTriggered(event);
        assertThat(eventsPassedOn).containsExactly(event);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }
}
