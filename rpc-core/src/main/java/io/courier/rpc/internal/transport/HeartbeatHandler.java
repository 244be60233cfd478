package io.courier.rpc.internal.transport;

import io.courier.rpc.internal.protocol.FrameWriter;
import io.courier.rpc.internal.protocol.HeartbeatMessage;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a connection alive and closes it when the peer falls silent: pings when this side has
 * written nothing for a while, answers the peer's pings, and closes the connection when nothing
 * was read for too long. The {@code IdleStateHandler} before it decides what "a while" is.
 *
 * <p>Thread-safe and {@link ChannelHandler.Sharable}: one instance serves every connection of a
 * client or server. Heartbeat frames stop here; everything else passes on.
 */
@ChannelHandler.Sharable
final class HeartbeatHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatHandler.class);

    /** The id of the ping a provider sends right after its going-away notice. */
    static final long GOAWAY_PING_ID = 0x60A7_A7A7L;

    /** Fired when the pong of {@link #GOAWAY_PING_ID} arrives. */
    static final Object GOAWAY_ACKNOWLEDGED = new Object() {
        @Override
        public String toString() {
            return "GOAWAY_ACKNOWLEDGED";
        }
    };

    private final FrameWriter writer;
    private final boolean warnOnSilence;

    /**
     * @param warnOnSilence whether closing a silent connection is worth a warning (a consumer
     *        losing its provider) rather than a debug line (a provider dropping an idle consumer)
     */
    HeartbeatHandler(FrameWriter writer, boolean warnOnSilence) {
        this.writer = writer;
        this.warnOnSilence = warnOnSilence;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HeartbeatMessage heartbeat) {
            if (heartbeat.ping()) {
                ctx.writeAndFlush(writer.heartbeat(ctx.alloc(), false, heartbeat.id()), ctx.voidPromise());
            } else if (heartbeat.id() == GOAWAY_PING_ID) {
                // Everything the peer sent before it read the going-away notice has been read.
                ctx.fireUserEventTriggered(GOAWAY_ACKNOWLEDGED);
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent idle)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (idle.state() == IdleState.READER_IDLE) {
            if (warnOnSilence) {
                log.warn("Nothing received from {} for three heartbeat intervals; closing the connection",
                        ctx.channel().remoteAddress());
            } else {
                log.debug("Closing idle connection {}", ctx.channel());
            }
            ctx.close();
        } else {
            ctx.writeAndFlush(writer.heartbeat(ctx.alloc(), true, 0), ctx.voidPromise());
        }
    }
}
