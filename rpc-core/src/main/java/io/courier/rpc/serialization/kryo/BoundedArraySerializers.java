package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.BooleanArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;

/**
 * Kryo's array serializers that allocate with {@code new T[length]} themselves, with the
 * declared length peeked and checked against the body first. Primitive arrays read through
 * {@link BoundedInput}'s bulk methods, which check their own lengths.
 *
 * <p>Not thread-safe: like every Kryo serializer, used by one {@link Kryo} instance at a time.
 */
final class BoundedArraySerializers {

    private BoundedArraySerializers() {
    }

    /**
     * Peeks the {@code length + 1} varint every array format starts with, leaving the position
     * unchanged, and charges the array ({@code bytesEach} per element) to the call's decode budget.
     */
    private static void checkLength(Input input, Class<?> type, int bytesEach) {
        int start = input.position();
        int lengthPlusOne = input.readVarInt(true);
        try {
            // A five-byte varint can be negative; Kryo's own --length would wrap Integer.MIN_VALUE
            // to Integer.MAX_VALUE and allocate that (found by KryoBodyFuzzTest).
            if (lengthPlusOne < 0 || lengthPlusOne > 1) {
                BoundedInput.checkCount(input, lengthPlusOne - 1L, 1, type.getSimpleName());
                BoundedInput.chargeArray(input, lengthPlusOne - 1L, bytesEach, type.getSimpleName());
            }
        } finally {
            input.setPosition(start);
        }
    }

    /** {@code Object[]} and every other reference array. */
    static final class ObjectArray extends ObjectArraySerializer {

        ObjectArray(Kryo kryo, Class<?> type) {
            super(kryo, type);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Object[] read(Kryo kryo, Input input, Class type) {
            checkLength(input, type, 24); // a slot and, at least, an object per element
            return super.read(kryo, input, type);
        }
    }

    /** {@code String[]}. */
    static final class StringArray extends StringArraySerializer {

        @Override
        @SuppressWarnings("rawtypes")
        public String[] read(Kryo kryo, Input input, Class type) {
            checkLength(input, String[].class, 8); // strings charge their own
            return super.read(kryo, input, type);
        }
    }

    /** {@code boolean[]}. */
    static final class BooleanArray extends BooleanArraySerializer {

        @Override
        @SuppressWarnings("rawtypes")
        public boolean[] read(Kryo kryo, Input input, Class type) {
            checkLength(input, boolean[].class, 1);
            return super.read(kryo, input, type);
        }
    }
}
