package io.courier.rpc.internal.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decodes the few strings that repeat in every frame (service keys, method names, parameter
 * descriptors) once, and hands out the same {@link String} afterwards, saving an allocation and
 * a hash computation per string per call.
 *
 * <p>Thread-safe and bounded: a direct-mapped table of {@value #SIZE} entries, where a
 * colliding string simply replaces the previous one. A hostile peer can only cause misses.
 */
final class StringCache {

    private static final int SIZE = 512;
    private static final int MAX_CACHED_LENGTH = 256;

    private record Entry(byte[] utf8, String value) {
    }

    private final AtomicReferenceArray<Entry> table = new AtomicReferenceArray<>(SIZE);

    /** Returns the string in {@code buf[index, index + length)}, decoded from UTF-8. */
    String get(ByteBuf buf, int index, int length) {
        if (length > MAX_CACHED_LENGTH) {
            return buf.toString(index, length, StandardCharsets.UTF_8);
        }
        int hash = 1;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + buf.getByte(index + i);
        }
        int slot = (hash ^ (hash >>> 16)) & (SIZE - 1);
        Entry entry = table.get(slot);
        if (entry != null && matches(entry.utf8, buf, index, length)) {
            return entry.value;
        }
        byte[] utf8 = new byte[length];
        buf.getBytes(index, utf8);
        String value = new String(utf8, StandardCharsets.UTF_8);
        table.set(slot, new Entry(utf8, value));
        return value;
    }

    private static boolean matches(byte[] utf8, ByteBuf buf, int index, int length) {
        if (utf8.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (utf8[i] != buf.getByte(index + i)) {
                return false;
            }
        }
        return true;
    }
}
