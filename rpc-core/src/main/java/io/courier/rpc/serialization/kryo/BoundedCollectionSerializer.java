package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;

import java.util.Collection;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SortedSet;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * Kryo's collection format with the declared size checked against the body before the
 * collection is created, and with pluggable creation so that JDK collections that cannot be
 * instantiated reflectively (immutable, unmodifiable and sorted ones) read back through a
 * mutable buffer and a finishing copy.
 *
 * <p>Not thread-safe: like every Kryo serializer, used by one {@link Kryo} instance at a time.
 */
final class BoundedCollectionSerializer extends CollectionSerializer<Collection<Object>> {

    private final IntFunction<Collection<Object>> buffer;
    private final Function<Comparator<Object>, Collection<Object>> sortedBuffer;
    private final UnaryOperator<Collection<Object>> finisher;

    private BoundedCollectionSerializer(IntFunction<Collection<Object>> buffer,
            Function<Comparator<Object>, Collection<Object>> sortedBuffer, UnaryOperator<Collection<Object>> finisher) {
        this.buffer = buffer;
        this.sortedBuffer = sortedBuffer;
        this.finisher = finisher;
    }

    /** For mutable collections with a no-arg constructor: reads straight into a new instance of the named class. */
    static BoundedCollectionSerializer instantiating() {
        return new BoundedCollectionSerializer(null, null, UnaryOperator.identity());
    }

    /** Reads into {@code buffer}, then returns {@code finisher} applied to it. */
    static BoundedCollectionSerializer copying(IntFunction<Collection<Object>> buffer,
            UnaryOperator<Collection<Object>> finisher) {
        return new BoundedCollectionSerializer(buffer, null, finisher);
    }

    /** Also writes the comparator, and reads into {@code buffer} made with it; for sorted sets and priority queues. */
    static BoundedCollectionSerializer sorted(Function<Comparator<Object>, Collection<Object>> buffer,
            UnaryOperator<Collection<Object>> finisher) {
        return new BoundedCollectionSerializer(null, buffer, finisher);
    }

    @Override
    protected void writeHeader(Kryo kryo, Output output, Collection<Object> collection) {
        if (sortedBuffer != null) {
            kryo.writeClassAndObject(output, comparatorOf(collection));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Collection<Object> create(Kryo kryo, Input input, Class<? extends Collection<Object>> type, int size) {
        BoundedInput.checkCount(input, size, 1, type.getName());
        // A slot for each element and, at least, an object per element (strings charge their own).
        BoundedInput.chargeObjects(input, size, 0, type.getName());
        if (sortedBuffer != null) {
            return sortedBuffer.apply((Comparator<Object>) kryo.readClassAndObject(input));
        }
        if (buffer != null) {
            return buffer.apply(size);
        }
        return super.create(kryo, input, type, size);
    }

    @Override
    public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
        Collection<Object> collection = super.read(kryo, input, type);
        return collection == null ? null : finisher.apply(collection);
    }

    private static Comparator<?> comparatorOf(Collection<?> collection) {
        if (collection instanceof SortedSet<?> sortedSet) {
            return sortedSet.comparator();
        }
        if (collection instanceof PriorityQueue<?> queue) {
            return queue.comparator();
        }
        return null;
    }
}
