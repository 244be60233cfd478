package io.courier.rpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.CorruptedFrameException;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads and writes the primitive values of header metadata: unsigned varints, length-prefixed
 * UTF-8 strings and string maps. Every declared length is checked against the bytes left in
 * the header before anything is allocated.
 *
 * <p>Stateless and thread-safe.
 */
final class HeaderCodec {

    private HeaderCodec() {
    }

    static void writeVarLong(ByteBuf out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    static long readVarLong(ByteBuf in, int limit) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (in.readerIndex() >= limit) {
                throw new CorruptedFrameException("truncated varint in header");
            }
            byte b = in.readByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CorruptedFrameException("malformed varint in header");
    }

    static void writeString(ByteBuf out, String value) {
        if (value == null || value.isEmpty()) {
            out.writeByte(0);
            return;
        }
        int length = ByteBufUtil.utf8Bytes(value);
        writeVarLong(out, length);
        out.writeCharSequence(value, StandardCharsets.UTF_8);
    }

    static void writeUtf8(ByteBuf out, byte[] utf8) {
        writeVarLong(out, utf8.length);
        out.writeBytes(utf8);
    }

    static String readString(ByteBuf in, int limit) {
        int length = readLength(in, limit, 1);
        if (length == 0) {
            return "";
        }
        String value = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return value;
    }

    /** Reads a string that is likely to repeat across frames, through {@code cache}. */
    static String readString(ByteBuf in, int limit, StringCache cache) {
        int length = readLength(in, limit, 1);
        if (length == 0) {
            return "";
        }
        String value = cache.get(in, in.readerIndex(), length);
        in.skipBytes(length);
        return value;
    }

    static void writeAttachments(ByteBuf out, Map<String, String> attachments) {
        if (attachments == null || attachments.isEmpty()) {
            out.writeByte(0);
            return;
        }
        writeVarLong(out, attachments.size());
        for (Map.Entry<String, String> e : attachments.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    static Map<String, String> readAttachments(ByteBuf in, int limit) {
        // Each entry takes at least two bytes (two empty strings).
        int count = readLength(in, limit, 2);
        if (count == 0) {
            return Collections.emptyMap();
        }
        Map<String, String> map = new HashMap<>(Math.max(4, count * 2));
        for (int i = 0; i < count; i++) {
            map.put(readString(in, limit), readString(in, limit));
        }
        return Collections.unmodifiableMap(map);
    }

    private static int readLength(ByteBuf in, int limit, int minBytesPerUnit) {
        long length = readVarLong(in, limit);
        long remaining = limit - in.readerIndex();
        if (length < 0 || length * minBytesPerUnit > remaining) {
            throw new CorruptedFrameException("declared length " + length + " exceeds the " + remaining
                    + " header bytes left");
        }
        return (int) length;
    }
}
