package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.MapSerializer;

import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * Kryo's map format with the declared size checked against the body before the map is
 * created, and with pluggable creation for JDK maps that cannot be instantiated reflectively.
 *
 * <p>Not thread-safe: like every Kryo serializer, used by one {@link Kryo} instance at a time.
 *
 * @see BoundedCollectionSerializer
 */
final class BoundedMapSerializer extends MapSerializer<Map<Object, Object>> {

    private final IntFunction<Map<Object, Object>> buffer;
    private final Function<Comparator<Object>, Map<Object, Object>> sortedBuffer;
    private final UnaryOperator<Map<Object, Object>> finisher;

    private BoundedMapSerializer(IntFunction<Map<Object, Object>> buffer,
            Function<Comparator<Object>, Map<Object, Object>> sortedBuffer, UnaryOperator<Map<Object, Object>> finisher) {
        this.buffer = buffer;
        this.sortedBuffer = sortedBuffer;
        this.finisher = finisher;
    }

    /** For mutable maps with a no-arg constructor: reads straight into a new instance of the named class. */
    static BoundedMapSerializer instantiating() {
        return new BoundedMapSerializer(null, null, UnaryOperator.identity());
    }

    /** Reads into {@code buffer}, then returns {@code finisher} applied to it. */
    static BoundedMapSerializer copying(IntFunction<Map<Object, Object>> buffer,
            UnaryOperator<Map<Object, Object>> finisher) {
        return new BoundedMapSerializer(buffer, null, finisher);
    }

    /** Also writes the comparator, and reads into {@code buffer} made with it; for sorted maps. */
    static BoundedMapSerializer sorted(Function<Comparator<Object>, Map<Object, Object>> buffer,
            UnaryOperator<Map<Object, Object>> finisher) {
        return new BoundedMapSerializer(null, buffer, finisher);
    }

    @Override
    protected void writeHeader(Kryo kryo, Output output, Map<Object, Object> map) {
        if (sortedBuffer != null) {
            kryo.writeClassAndObject(output, map instanceof SortedMap<?, ?> sorted ? sorted.comparator() : null);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Map<Object, Object> create(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type, int size) {
        BoundedInput.checkCount(input, size, 1, type.getName());
        // An entry node, a table slot, and at least an object for the key and for the value.
        BoundedInput.chargeObjects(input, size, 56, type.getName());
        if (sortedBuffer != null) {
            return sortedBuffer.apply((Comparator<Object>) kryo.readClassAndObject(input));
        }
        if (buffer != null) {
            return buffer.apply(size);
        }
        return super.create(kryo, input, type, size);
    }

    @Override
    public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
        Map<Object, Object> map = super.read(kryo, input, type);
        return map == null ? null : finisher.apply(map);
    }
}
