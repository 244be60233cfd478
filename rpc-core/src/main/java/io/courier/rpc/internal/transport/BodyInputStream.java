package io.courier.rpc.internal.transport;

import io.netty.buffer.ByteBuf;

import java.io.InputStream;

/**
 * The stream a serializer reads a body from: the readable bytes of the message it is pointed at.
 *
 * <p>Not thread-safe: one belongs to each connection's handler and is used on its event loop
 * only, so decoding a response allocates no wrapper. Reading consumes the buffer's bytes.
 */
final class BodyInputStream extends InputStream {

    private ByteBuf source;

    /** Points the stream at {@code source}, or, when it is already in use (re-entered), returns a new one. */
    BodyInputStream open(ByteBuf source) {
        BodyInputStream stream = this.source == null ? this : new BodyInputStream();
        stream.source = source;
        return stream;
    }

    /** Forgets the buffer; the caller still owns and releases it. */
    @Override
    public void close() {
        source = null;
    }

    @Override
    public int read() {
        return source.isReadable() ? source.readByte() & 0xFF : -1;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        int readable = source.readableBytes();
        if (readable == 0) {
            return -1;
        }
        int count = Math.min(readable, length);
        source.readBytes(bytes, offset, count);
        return count;
    }

    @Override
    public int available() {
        return source.readableBytes();
    }

    @Override
    public long skip(long n) {
        int count = (int) Math.min(Math.max(n, 0), source.readableBytes());
        source.skipBytes(count);
        return count;
    }
}
