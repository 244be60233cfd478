package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.io.Input;
import io.courier.rpc.serialization.DecodeBudget;
import io.courier.rpc.serialization.SerializationException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
    /** Reads eight body bytes at once; little-endian, so the lowest set byte is the first in the body. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    /** Estimated heap of an object header plus a reference to it, and of an array's header. */
    private static final int OBJECT = 24;
    private static final int ARRAY = 16;
    /** A {@code String} and its array's headers. */
    private static final int STRING = 40;

    /** The decode budget of the call whose body this is, or {@code null} (nothing is charged). */
    private DecodeBudget.Allotment allotment;

    BoundedInput() {
        super(INITIAL_BUFFER_SIZE);
    }

    /**
     * Charges the current call's {@link DecodeBudget} for {@code bytes} about to be allocated
     * for {@code what}; does nothing for an input that is not a {@code BoundedInput} or has no
     * budget.
     */
    static void charge(Input input, long bytes, String what) {
        if (input instanceof BoundedInput bounded && bounded.allotment != null) {
            bounded.allotment.charge(bytes, what);
        }
    }

    /** Charges an array of {@code count} elements of {@code bytesEach} (after {@link #checkCount}). */
    static void chargeArray(Input input, long count, int bytesEach, String what) {
        charge(input, ARRAY + count * bytesEach, what);
    }

    /** Charges {@code count} objects held by reference, such as a collection's elements. */
    static void chargeObjects(Input input, long count, int bytesEach, String what) {
        charge(input, ARRAY + count * (OBJECT + bytesEach), what);
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
        allotment = DecodeBudget.current();
        byte[] bytes = buffer;
        int hint = in.available();
        if (allotment != null) {
            allotment.charge(hint, "the body");
        }
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
        allotment = null;
        byte[] bytes = buffer.length > MAX_RETAINED_SIZE ? new byte[INITIAL_BUFFER_SIZE] : buffer;
        setBuffer(bytes, 0, 0);
        if (chars.length > MAX_RETAINED_SIZE) {
            chars = new char[32];
        }
    }

    int remaining() {
        return limit - position;
    }

    /**
     * Reads what Kryo's {@code writeString} wrote, faster than Kryo's own reader: ASCII strings
     * become strings straight from the body's bytes, with no copy through a char array, and a
     * declared length is checked against the bytes left before anything is allocated.
     */
    @Override
    public String readString() {
        if (position < limit && buffer[position] >= 0) {
            return readMarkedAscii();
        }
        int charCount = readVarIntFlag(true);
        if (charCount <= 1) {
            return charCount == 0 ? null : "";
        }
        int length = charCount - 1;
        checkCount(this, length, 1, "String");
        return isAscii(position, length) ? takeLatin1(position, length) : readUtf8(length);
    }

    /** An ASCII string whose last byte has its top bit set; found eight bytes at a time. */
    private String readMarkedAscii() {
        byte[] bytes = buffer;
        int end = position;
        while (end + Long.BYTES <= limit) {
            long marks = (long) LONGS.get(bytes, end) & HIGH_BITS;
            if (marks != 0) {
                return takeMarkedAscii(end + (Long.numberOfTrailingZeros(marks) >>> 3));
            }
            end += Long.BYTES;
        }
        while (end < limit) {
            if (bytes[end] < 0) {
                return takeMarkedAscii(end);
            }
            end++;
        }
        throw new SerializationException("String runs past the end of the body");
    }

    private String takeMarkedAscii(int last) {
        byte[] bytes = buffer;
        bytes[last] &= 0x7F;
        try {
            return takeLatin1(position, last + 1 - position);
        } finally {
            bytes[last] |= (byte) 0x80;
        }
    }

    private boolean isAscii(int start, int length) {
        byte[] bytes = buffer;
        int end = start + length;
        long bits = 0;
        int i = start;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            bits |= (long) LONGS.get(bytes, i);
        }
        for (; i < end; i++) {
            bits |= bytes[i];
        }
        return (bits & HIGH_BITS) == 0;
    }

    private String takeLatin1(int start, int length) {
        if (allotment != null) {
            allotment.charge(STRING + length, "String");
        }
        position = start + length;
        return new String(buffer, start, length, StandardCharsets.ISO_8859_1);
    }

    /** Kryo's UTF-8: one to three bytes per char. */
    private String readUtf8(int length) {
        if (allotment != null) {
            // The scratch chars and the string's UTF-16 bytes.
            allotment.charge(STRING + 4L * length, "String");
        }
        if (chars.length < length) {
            chars = new char[length];
        }
        char[] out = chars;
        byte[] bytes = buffer;
        int p = position;
        for (int i = 0; i < length; i++) {
            if (p >= limit) {
                throw new SerializationException("String runs past the end of the body");
            }
            int b = bytes[p++];
            if (b >= 0) {
                out[i] = (char) b;
            } else if ((b & 0xE0) == 0xC0 && p < limit) {
                out[i] = (char) ((b & 0x1F) << 6 | bytes[p++] & 0x3F);
            } else if ((b & 0xF0) == 0xE0 && p + 1 < limit) {
                out[i] = (char) ((b & 0x0F) << 12 | (bytes[p] & 0x3F) << 6 | bytes[p + 1] & 0x3F);
                p += 2;
            } else {
                throw new SerializationException("String holds a malformed or truncated UTF-8 sequence");
            }
        }
        position = p;
        return new String(out, 0, length);
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
            // Negative too: Kryo's charCount-- would wrap Integer.MIN_VALUE to Integer.MAX_VALUE.
            if (charCount < 0 || charCount > 1) {
                checkCount(this, charCount - 1L, 1, "String");
                charge(this, STRING + 4L * (charCount - 1L), "StringBuilder");
            }
            position = start;
        }
    }

    @Override
    public byte[] readBytes(int length) {
        checkCount(this, length, 1, "byte[]");
        chargeArray(this, length, 1, "byte[]");
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        checkCount(this, length, Integer.BYTES, "int[]");
        chargeArray(this, length, 4, "int[]");
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        checkCount(this, length, varEncoding ? 1 : Integer.BYTES, "int[]");
        chargeArray(this, length, 4, "int[]");
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        checkCount(this, length, Long.BYTES, "long[]");
        chargeArray(this, length, 8, "long[]");
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        checkCount(this, length, varEncoding ? 1 : Long.BYTES, "long[]");
        chargeArray(this, length, 8, "long[]");
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        checkCount(this, length, Float.BYTES, "float[]");
        chargeArray(this, length, 4, "float[]");
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        checkCount(this, length, Double.BYTES, "double[]");
        chargeArray(this, length, 8, "double[]");
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        checkCount(this, length, Short.BYTES, "short[]");
        chargeArray(this, length, 2, "short[]");
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        checkCount(this, length, Character.BYTES, "char[]");
        chargeArray(this, length, 2, "char[]");
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        checkCount(this, length, 1, "boolean[]");
        chargeArray(this, length, 1, "boolean[]");
        return super.readBooleans(length);
    }
}
