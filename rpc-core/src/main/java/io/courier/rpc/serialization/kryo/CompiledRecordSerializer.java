package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.lang.invoke.MethodHandle;

/**
 * Writes exactly the bytes of Kryo's {@code RecordSerializer} through the record's accessors and
 * canonical constructor compiled once into method handles, instead of {@code Method.invoke} per
 * component and {@code Constructor.newInstance} per record.
 *
 * <p>Not thread-safe: like every Kryo serializer, used by one {@link Kryo} instance at a time.
 * Components travel sorted by name: a primitive as Kryo's serializer for its box writes it
 * (written here without boxing), a final class without a class id, anything else with its
 * class, read back through the allowlist. Like Kryo's, it counts a primitive component as one
 * level of nesting, so the depth limit falls where it did.
 */
final class CompiledRecordSerializer<T> extends Serializer<T> {

    private final FieldAccessors.Slot[] slots;
    private final MethodHandle constructor;
    private final int maxDepth;
    /** Per component: whether its declared class is final, so no class id precedes it. */
    private final boolean[] finalClass;

    CompiledRecordSerializer(Kryo kryo, FieldAccessors accessors, int maxDepth) {
        super(false, true);
        this.slots = accessors.slots;
        this.constructor = accessors.constructor;
        this.maxDepth = maxDepth;
        this.finalClass = new boolean[slots.length];
        for (int i = 0; i < slots.length; i++) {
            finalClass[i] = kryo.isFinal(slots[i].valueClass);
        }
    }

    @Override
    public void write(Kryo kryo, Output output, T record) {
        FieldAccessors.Slot[] slots = this.slots;
        for (int i = 0; i < slots.length; i++) {
            FieldAccessors.Slot slot = slots[i];
            try {
                MethodHandle getter = slot.getter;
                switch (slot.kind) {
                    case INT -> {
                        checkDepth(kryo);
                        output.writeVarInt((int) getter.invokeExact((Object) record), false);
                    }
                    case LONG -> {
                        checkDepth(kryo);
                        output.writeVarLong((long) getter.invokeExact((Object) record), false);
                    }
                    case BOOLEAN -> {
                        checkDepth(kryo);
                        output.writeBoolean((boolean) getter.invokeExact((Object) record));
                    }
                    case DOUBLE -> {
                        checkDepth(kryo);
                        output.writeDouble((double) getter.invokeExact((Object) record));
                    }
                    case FLOAT -> {
                        checkDepth(kryo);
                        output.writeFloat((float) getter.invokeExact((Object) record));
                    }
                    case SHORT -> {
                        checkDepth(kryo);
                        output.writeShort((short) getter.invokeExact((Object) record));
                    }
                    case BYTE -> {
                        checkDepth(kryo);
                        output.writeByte((byte) getter.invokeExact((Object) record));
                    }
                    case CHAR -> {
                        checkDepth(kryo);
                        output.writeChar((char) getter.invokeExact((Object) record));
                    }
                    default -> {
                        Object value = (Object) getter.invokeExact((Object) record);
                        if (finalClass[i]) {
                            kryo.writeObjectOrNull(output, value, slot.valueClass);
                        } else {
                            kryo.writeClassAndObject(output, value);
                        }
                    }
                }
            } catch (KryoException e) {
                e.addTrace(slot.name + " (" + slot.valueClass.getName() + ")");
                throw e;
            } catch (Throwable t) {
                KryoException e = new KryoException(t);
                e.addTrace(slot.name + " (" + slot.valueClass.getName() + ")");
                throw e;
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
        FieldAccessors.Slot[] slots = this.slots;
        Object[] arguments = new Object[slots.length];
        for (int i = 0; i < slots.length; i++) {
            FieldAccessors.Slot slot = slots[i];
            try {
                Object value = switch (slot.kind) {
                    case INT -> {
                        checkDepth(kryo);
                        yield input.readVarInt(false);
                    }
                    case LONG -> {
                        checkDepth(kryo);
                        yield input.readVarLong(false);
                    }
                    case BOOLEAN -> {
                        checkDepth(kryo);
                        yield input.readBoolean();
                    }
                    case DOUBLE -> {
                        checkDepth(kryo);
                        yield input.readDouble();
                    }
                    case FLOAT -> {
                        checkDepth(kryo);
                        yield input.readFloat();
                    }
                    case SHORT -> {
                        checkDepth(kryo);
                        yield input.readShort();
                    }
                    case BYTE -> {
                        checkDepth(kryo);
                        yield input.readByte();
                    }
                    case CHAR -> {
                        checkDepth(kryo);
                        yield input.readChar();
                    }
                    default -> finalClass[i]
                            ? kryo.readObjectOrNull(input, slot.valueClass)
                            : kryo.readClassAndObject(input);
                };
                arguments[slot.constructorIndex] = value;
            } catch (KryoException e) {
                e.addTrace(slot.name + " (" + type.getName() + ")");
                throw e;
            } catch (RuntimeException | Error e) {
                KryoException wrapped = new KryoException(e);
                wrapped.addTrace(slot.name + " (" + type.getName() + ")");
                throw wrapped;
            }
        }
        try {
            return (T) (Object) constructor.invokeExact(arguments);
        } catch (Throwable t) {
            KryoException e = new KryoException(t);
            e.addTrace("Could not construct type (" + type.getName() + ")");
            throw e;
        }
    }

    /** The check {@code Kryo.writeObject}/{@code readObject} makes when Kryo's serializer writes a boxed component. */
    private void checkDepth(Kryo kryo) {
        if (kryo.getDepth() == maxDepth) {
            throw new KryoException("Max depth exceeded: " + maxDepth);
        }
    }
}
