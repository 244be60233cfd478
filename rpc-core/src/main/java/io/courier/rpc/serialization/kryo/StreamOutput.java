package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A Kryo {@link Output} with a small reused buffer that drains into the caller's stream.
 *
 * <p>Not thread-safe: owned by one {@link KryoContext} at a time. Unlike Kryo's own output it
 * never calls {@link OutputStream#flush()} on the target (the transport decides when bytes hit
 * the wire) and hands large byte arrays straight to the target instead of copying them through
 * the buffer.
 */
final class StreamOutput extends Output {

    private static final int BUFFER_SIZE = 4 * 1024;
    private static final int MAX_RETAINED_SIZE = 64 * 1024;

    StreamOutput() {
        super(BUFFER_SIZE, -1);
    }

    /** Starts writing a body to {@code target}. */
    void begin(OutputStream target) {
        setOutputStream(target);
    }

    /** Writes what is buffered and detaches the target; the target is neither flushed nor closed. */
    void finish() {
        flush();
        discard();
    }

    /** Drops buffered bytes and the target, keeping the buffer for the next body unless it grew large. */
    void discard() {
        setOutputStream(null);
        if (capacity > MAX_RETAINED_SIZE) {
            setBuffer(new byte[BUFFER_SIZE], -1);
        }
    }

    @Override
    public void flush() {
        if (outputStream == null || position == 0) {
            return;
        }
        try {
            outputStream.write(buffer, 0, position);
        } catch (IOException e) {
            throw new KryoException(e);
        }
        total += position;
        position = 0;
    }

    @Override
    public void writeBytes(byte[] bytes, int offset, int count) {
        if (count < capacity || outputStream == null) {
            super.writeBytes(bytes, offset, count);
            return;
        }
        flush();
        try {
            outputStream.write(bytes, offset, count);
        } catch (IOException e) {
            throw new KryoException(e);
        }
        total += count;
    }
}
