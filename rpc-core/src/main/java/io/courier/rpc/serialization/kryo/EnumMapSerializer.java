package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.courier.rpc.serialization.SerializationException;

import java.lang.reflect.Field;
import java.util.EnumMap;
import java.util.Map;

/**
 * Writes an {@link EnumMap} as its key enum class, then ordinal and value pairs.
 *
 * <p>Not thread-safe: like every Kryo serializer, used by one {@link Kryo} instance at a time.
 * Kryo's field serializer cannot rebuild an {@code EnumMap} on Java 17 without
 * {@code --add-opens}, and its public API only reveals the key type through a key: an empty
 * map can only be written when the JVM opens {@code java.util} to this module.
 */
final class EnumMapSerializer extends Serializer<EnumMap<?, ?>> {

    /** {@code EnumMap.keyType}, or {@code null} when {@code java.util} is not open to us (the usual case). */
    private final Field keyTypeField = openKeyTypeField();

    @Override
    public void write(Kryo kryo, Output output, EnumMap<?, ?> map) {
        kryo.writeClass(output, keyType(map));
        output.writeVarInt(map.size(), true);
        for (Map.Entry<? extends Enum<?>, ?> entry : map.entrySet()) {
            output.writeVarInt(entry.getKey().ordinal(), true);
            kryo.writeClassAndObject(output, entry.getValue());
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public EnumMap<?, ?> read(Kryo kryo, Input input, Class<? extends EnumMap<?, ?>> type) {
        Class<?> keyType = kryo.readClass(input).getType();
        if (!keyType.isEnum()) {
            throw new SerializationException("EnumMap key type " + keyType.getName() + " is not an enum");
        }
        int size = input.readVarInt(true);
        BoundedInput.checkCount(input, size, 1, EnumMap.class.getName());
        Object[] constants = keyType.getEnumConstants();
        EnumMap map = new EnumMap(keyType);
        for (int i = 0; i < size; i++) {
            int ordinal = input.readVarInt(true);
            if (ordinal >= constants.length) {
                throw new SerializationException(
                        "EnumMap key ordinal " + ordinal + " is out of range for " + keyType.getName());
            }
            map.put((Enum) constants[ordinal], kryo.readClassAndObject(input));
        }
        return map;
    }

    private Class<?> keyType(EnumMap<?, ?> map) {
        if (!map.isEmpty()) {
            return map.keySet().iterator().next().getDeclaringClass();
        }
        if (keyTypeField == null) {
            throw new SerializationException("An empty EnumMap cannot be written without --add-opens "
                    + "java.base/java.util=ALL-UNNAMED; send an empty Map or a non-empty EnumMap instead");
        }
        try {
            return (Class<?>) keyTypeField.get(map);
        } catch (IllegalAccessException e) {
            throw new SerializationException("Could not read the key type of an empty EnumMap", e);
        }
    }

    private static Field openKeyTypeField() {
        try {
            Field field = EnumMap.class.getDeclaredField("keyType");
            return field.trySetAccessible() ? field : null;
        } catch (NoSuchFieldException e) {
            // Another JDK's EnumMap: empty maps are then refused with a clear message on write.
            return null;
        }
    }
}
