package io.courier.rpc.internal.protocol;

import io.netty.buffer.ByteBuf;

import java.io.OutputStream;

/**
 * The stream a serializer writes a body into: appends to the frame buffer it is pointed at.
 *
 * <p>Not thread-safe: {@link FrameWriter} keeps one per thread and points it at each frame in
 * turn, so encoding a body allocates no wrapper. Writes past the buffer's maximum capacity fail
 * with Netty's {@code IndexOutOfBoundsException}, which the writer reports as an oversized frame.
 */
final class BodyOutputStream extends OutputStream {

    private ByteBuf target;

    /** Whether the stream is pointed at a frame now (a body being written re-entered the writer). */
    boolean inUse() {
        return target != null;
    }

    void target(ByteBuf target) {
        this.target = target;
    }

    @Override
    public void write(int b) {
        target.writeByte(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        target.writeBytes(bytes, offset, length);
    }
}
