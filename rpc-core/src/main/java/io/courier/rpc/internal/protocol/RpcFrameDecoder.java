package io.courier.rpc.internal.protocol;

import io.courier.rpc.InvalidOptionException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.nio.ByteOrder;

/**
 * Splits the inbound byte stream into whole Courier frames and closes the connection on any
 * framing violation.
 *
 * <pre>
 *  +--------+-----+------+-------+-----+--------+------------+------+------+----------+------+
 *  | 0xC0DE | ver | type | flags | ser | status | request id |  H   |  B   | metadata | body |
 *  |   2    |  1  |  1   |   1   |  1  |   2    |     8      |  4   |  4   |    H     |  B   |
 *  +--------+-----+------+-------+-----+--------+------------+------+------+----------+------+
 *  frame length = 24 + H + B, checked against the maximum before the frame is buffered
 * </pre>
 *
 * <p>Not thread-safe and not sharable: one instance per channel. Emits each frame as a
 * {@link ByteBuf} slice that the next handler must release. Wrong magic, an unknown version, a
 * negative length or a frame longer than the maximum cannot be recovered from, because the
 * stream position of the next frame is lost: the decoder logs one (throttled) warning, drops
 * whatever is buffered and closes the channel.
 */
public final class RpcFrameDecoder extends LengthFieldBasedFrameDecoder {

    private final ProtocolWarnings warnings;
    private boolean rejected;

    /**
     * Creates a decoder.
     *
     * @param maxFrameSize largest accepted frame in bytes, fixed header included
     * @param warnings shared throttle for violation warnings
     */
    public RpcFrameDecoder(int maxFrameSize, ProtocolWarnings warnings) {
        // The 8-byte "length field" spans both H and B; getUnadjustedFrameLength adds them.
        super(ByteOrder.BIG_ENDIAN, maxFrameSize, RpcFrame.HEADER_LENGTH_OFFSET, 8, 0, 0, true);
        if (maxFrameSize < RpcFrame.FIXED_HEADER_LENGTH) {
            throw new InvalidOptionException("maxFrameSize", maxFrameSize, ">= " + RpcFrame.FIXED_HEADER_LENGTH);
        }
        this.warnings = warnings;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable >= 2 && in.getShort(start) != RpcFrame.MAGIC) {
            return reject(ctx, in, String.format("bad magic 0x%04X", in.getShort(start) & 0xFFFF));
        }
        if (readable >= 3 && in.getByte(start + RpcFrame.VERSION_OFFSET) != RpcFrame.VERSION) {
            return reject(ctx, in, "unsupported protocol version " + in.getByte(start + RpcFrame.VERSION_OFFSET));
        }
        try {
            return super.decode(ctx, in);
        } catch (TooLongFrameException | CorruptedFrameException e) {
            return reject(ctx, in, e.getMessage());
        }
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        int headerLength = buf.getInt(offset);
        int bodyLength = buf.getInt(offset + 4);
        if (headerLength < 0 || bodyLength < 0) {
            throw new CorruptedFrameException("negative length (header " + headerLength + ", body " + bodyLength + ")");
        }
        return (long) headerLength + bodyLength;
    }

    private Object reject(ChannelHandlerContext ctx, ByteBuf in, String problem) {
        rejected = true;
        in.skipBytes(in.readableBytes());
        warnings.warn(ctx.channel().remoteAddress(), problem + "; closing connection");
        ctx.close();
        return null;
    }
}
