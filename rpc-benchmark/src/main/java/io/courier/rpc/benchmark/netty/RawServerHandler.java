package io.courier.rpc.benchmark.netty;

import io.courier.rpc.benchmark.ProfileService;
import io.courier.rpc.benchmark.UserService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The raw reference provider: decodes each request on the event loop, runs the service inline
 * (it never blocks) and writes the response into a pooled buffer; one flush per read batch.
 *
 * <p>Thread-safe and {@link ChannelHandler.Sharable} (the service is thread-safe, the handler
 * stateless).
 */
@ChannelHandler.Sharable
final class RawServerHandler extends ChannelInboundHandlerAdapter {

    private static final int INITIAL_RESPONSE_CAPACITY = 512;

    private final UserService service;
    private final ProfileService profiles;

    RawServerHandler(UserService service, ProfileService profiles) {
        this.service = service;
        this.profiles = profiles;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        long requestId = 0;
        try {
            requestId = frame.readLong();
            byte method = frame.readByte();
            // A profile's bio is sized by the request: allocate for it once rather than growing.
            int capacity = method == RawProtocol.GET_PROFILE && frame.readableBytes() >= Long.BYTES + Integer.BYTES
                    ? INITIAL_RESPONSE_CAPACITY + Math.max(0, frame.getInt(frame.readerIndex() + Long.BYTES))
                    : INITIAL_RESPONSE_CAPACITY;
            ByteBuf out = ctx.alloc().ioBuffer(Math.min(capacity, RawProtocol.MAX_FRAME));
            try {
                out.writeInt(0).writeLong(requestId).writeByte(RawProtocol.OK);
                switch (method) {
                    case RawProtocol.EXIST_USER -> out.writeBoolean(service.existUser(UserCodec.readString(frame)));
                    case RawProtocol.GET_USER -> UserCodec.writeUser(out, service.getUser(frame.readLong()));
                    case RawProtocol.LIST_USER -> UserCodec.writePage(out, service.listUser(frame.readInt()));
                    case RawProtocol.CREATE_USER -> out.writeBoolean(service.createUser(UserCodec.readUser(frame)));
                    case RawProtocol.GET_PROFILE -> UserCodec.writeProfile(out,
                            profiles.getProfile(frame.readLong(), frame.readInt()));
                    default -> throw new IllegalArgumentException("unknown method " + method);
                }
            } catch (RuntimeException e) {
                out.release();
                writeError(ctx, requestId, e);
                return;
            }
            out.setInt(0, out.readableBytes() - RawProtocol.LENGTH_FIELD);
            ctx.write(out, ctx.voidPromise());
        } finally {
            frame.release();
        }
    }

    private static void writeError(ChannelHandlerContext ctx, long requestId, RuntimeException e) {
        ByteBuf out = ctx.alloc().ioBuffer();
        out.writeInt(0).writeLong(requestId).writeByte(RawProtocol.ERROR);
        ByteBufUtil.writeUtf8(out, String.valueOf(e));
        out.setInt(0, out.readableBytes() - RawProtocol.LENGTH_FIELD);
        ctx.write(out, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A benchmark peer: any failure ends the connection, and the client reports the lost calls.
        ctx.close();
    }
}
