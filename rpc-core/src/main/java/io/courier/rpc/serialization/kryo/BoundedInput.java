package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.io.Input;
import io.courier.rpc.serialization.SerializationException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A Kryo {@link Input} over one whole body held in memory, which refuses declared lengths
 * larger than the bytes left in the body before allocating anything for them.
 *
 * <p>Not thread-safe: owned by one {@link KryoContext} at a time. Because the body is read
 * completely up front and no stream is attached, {@code limit - position} is exactly what is
 * left, and positions never move under a reader, so a length can be peeked and rewound.
 */
final class BoundedInput extends Input {

    private static final int INITIAL_BUFFER_SIZE = 4 * 1024;
    /** Larger buffers are dropped after use so that one big body does not pin memory in the pool. */
    private static final int MAX_RETAINED_SIZE = 256 * 1024;
    private static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;

    BoundedInput() {
        super(INITIAL_BUFFER_SIZE);
    }

    /** Fails unless the input has at least {@code count * minBytesEach} bytes left. */
    static void checkCount(Input input, long count, int minBytesEach, String what) {
        long remaining = input.limit() - input.position();
        if (count < 0 || count * minBytesEach > remaining) {
            throw new SerializationException("Body declares " + count + " elements of " + what
                    + " but only " + remaining + " bytes remain");
        }
    }

    /** Replaces the content with the whole of {@code in}; the stream is read to its end but not closed. */
    void load(InputStream in) throws IOException {
        byte[] bytes = buffer;
        int hint = in.available();
        if (hint >= bytes.length && hint < MAX_ARRAY_SIZE) {
            // One spare byte lets the final read report the end without a copy.
            bytes = new byte[hint + 1];
        }
        int length = 0;
        while (true) {
            if (length == bytes.length) {
                if (length >= MAX_ARRAY_SIZE) {
                    throw new SerializationException("Body is larger than " + MAX_ARRAY_SIZE + " bytes");
                }
                bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_ARRAY_SIZE, 2L * length));
            }
            int read = in.read(bytes, length, bytes.length - length);
            if (read < 0) {
                break;
            }
            length += read;
        }
        setBuffer(bytes, 0, length);
    }

    /** Forgets the body, keeping the buffers for the next one unless they grew large. */
    void release() {
        byte[] bytes = buffer.length > MAX_RETAINED_SIZE ? new byte[INITIAL_BUFFER_SIZE] : buffer;
        setBuffer(bytes, 0, 0);
        if (chars.length > MAX_RETAINED_SIZE) {
            chars = new char[32];
        }
    }

    int remaining() {
        return limit - position;
    }

    @Override
    public String readString() {
        checkUtf8Length();
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        checkUtf8Length();
        return super.readStringBuilder();
    }

    /** An ASCII string has no length prefix; a UTF-8 one declares its char count, each at least one byte. */
    private void checkUtf8Length() {
        int start = position;
        if (readVarIntFlag()) {
            int charCount = readVarIntFlag(true);
            if (charCount > 1) {
                checkCount(this, charCount - 1L, 1, "String");
            }
            position = start;
        }
    }

    @Override
    public byte[] readBytes(int length) {
        checkCount(this, length, 1, "byte[]");
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        checkCount(this, length, Integer.BYTES, "int[]");
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        checkCount(this, length, varEncoding ? 1 : Integer.BYTES, "int[]");
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        checkCount(this, length, Long.BYTES, "long[]");
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        checkCount(this, length, varEncoding ? 1 : Long.BYTES, "long[]");
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        checkCount(this, length, Float.BYTES, "float[]");
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        checkCount(this, length, Double.BYTES, "double[]");
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        checkCount(this, length, Short.BYTES, "short[]");
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        checkCount(this, length, Character.BYTES, "char[]");
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        checkCount(this, length, 1, "boolean[]");
        return super.readBooleans(length);
    }
}
