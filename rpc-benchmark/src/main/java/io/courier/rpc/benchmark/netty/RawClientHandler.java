package io.courier.rpc.benchmark.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The raw reference client's end of its connection: numbers requests, keeps the pending calls and
 * completes them from responses.
 *
 * <p>One per channel. All state is touched on the channel's event loop only, so it needs no
 * locks or atomics: {@link #send} hops there when called from another thread.
 */
final class RawClientHandler extends ChannelInboundHandlerAdapter {

    private final LongObjectMap<RawCall<?>> pending = new LongObjectHashMap<>();
    private long lastId;
    private volatile ChannelHandlerContext ctx;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Sends a request frame whose id field is still blank; {@code call} completes with the result. */
    void send(ByteBuf frame, RawCall<?> call) {
        ChannelHandlerContext c = ctx;
        if (c.executor().inEventLoop()) {
            write(c, frame, call);
        } else {
            c.executor().execute(() -> write(c, frame, call));
        }
    }

    private void write(ChannelHandlerContext c, ByteBuf frame, RawCall<?> call) {
        if (!c.channel().isActive()) {
            frame.release();
            call.completeExceptionally(new IOException("Connection closed"));
            return;
        }
        long id = ++lastId;
        frame.setLong(RawProtocol.REQUEST_ID_OFFSET, id);
        pending.put(id, call);
        c.writeAndFlush(frame, c.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            long id = frame.readLong();
            byte status = frame.readByte();
            RawCall<?> call = pending.remove(id);
            if (call == null) {
                return;
            }
            if (status == RawProtocol.OK) {
                call.completeFrom(frame);
            } else {
                call.completeExceptionally(new IllegalStateException(
                        "Provider failed: " + frame.toString(StandardCharsets.UTF_8)));
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) throws Exception {
        IOException lost = new IOException("Connection closed with the call in flight");
        for (RawCall<?> call : pending.values()) {
            call.completeExceptionally(lost);
        }
        pending.clear();
        super.channelInactive(c);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        // Pending calls fail in channelInactive.
        c.close();
    }
}
