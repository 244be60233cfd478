package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

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
    /** Longest ASCII string Kryo writes without a length, the last byte carrying the end mark. */
    private static final int MAX_MARKED_ASCII = 32;

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

    /**
     * Writes exactly the bytes Kryo's own {@code writeString} writes, about twice as fast: the
     * JDK's vectorized encoder produces the bytes, which are then copied in bulk instead of char
     * by char. The JDK's UTF-8 is Kryo's as long as the string holds no surrogate (Kryo encodes
     * each surrogate as a char of its own, the JDK a pair as four bytes and a lone one as
     * {@code '?'}); strings that might take Kryo's own path.
     */
    @Override
    public void writeString(String value) {
        int length = value == null ? 0 : value.length();
        if (length == 0) {
            super.writeString(value);
            return;
        }
        long worstCase = 5L + 3L * length;
        if (worstCase > capacity) {
            writeLongString(value, length);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        boolean ascii = utf8.length == length;
        if (!ascii && mayHoldSurrogates(utf8)) {
            super.writeString(value);
            return;
        }
        require((int) worstCase);
        if (ascii && length > 1 && length <= MAX_MARKED_ASCII) {
            System.arraycopy(utf8, 0, buffer, position, length);
            position += length;
            buffer[position - 1] |= (byte) 0x80;
            return;
        }
        writeVarIntFlag(true, length + 1, true);
        System.arraycopy(utf8, 0, buffer, position, utf8.length);
        position += utf8.length;
    }

    /**
     * A string that may not fit the buffer (longer than Kryo's 32-char ASCII form): the char
     * count, then the UTF-8 bytes, which {@link #writeBytes} hands straight to the target when
     * they are larger than the buffer.
     */
    private void writeLongString(String value, int length) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length != length && mayHoldSurrogates(utf8)) {
            super.writeString(value);
            return;
        }
        require(5);
        writeVarIntFlag(true, length + 1, true);
        writeBytes(utf8, 0, utf8.length);
    }

    /** Whether the JDK's UTF-8 holds a four-byte sequence (a surrogate pair) or a {@code '?'} (maybe a lone surrogate). */
    private static boolean mayHoldSurrogates(byte[] utf8) {
        for (byte b : utf8) {
            if (b == '?' || (b & 0xF8) == 0xF0) {
                return true;
            }
        }
        return false;
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
