package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Generics;
import com.esotericsoftware.kryo.util.Generics.GenericType;
import com.esotericsoftware.kryo.util.Generics.GenericsHierarchy;
import com.esotericsoftware.kryo.util.Util;

import java.lang.invoke.MethodHandle;

/**
 * Writes exactly the bytes of Kryo's {@code FieldSerializer} (default configuration, references
 * off) through accessors compiled once per class: one codec per field, chosen by the field's
 * type when the serializer is built, so a field is read and written by one fixed piece of code
 * with an exact-typed method handle, never by {@code java.lang.reflect} or a boxing accessor.
 *
 * <p>Not thread-safe: like every Kryo serializer, used by one {@link Kryo} instance at a time
 * (object fields cache the serializer of a final field class, as Kryo's own fields do). The
 * {@link FieldAccessors} it reads are shared and immutable. Instances are created through
 * {@link Kryo#newInstance(Class)}, so the instantiator strategy is Kryo's, unchanged; nested
 * objects go through {@code Kryo.writeObject}/{@code readObject}, so depth limits, class
 * resolution (and with it the allowlist) and generic type tracking are Kryo's too.
 */
final class CompiledFieldSerializer<T> extends Serializer<T> {

    private final Kryo kryo;
    private final Class<?> type;
    private final GenericsHierarchy genericsHierarchy;
    private final FieldCodec[] codecs;

    CompiledFieldSerializer(Kryo kryo, FieldAccessors accessors) {
        this.kryo = kryo;
        this.type = accessors.type;
        this.genericsHierarchy = kryo.getGenerics().buildHierarchy(type);
        this.codecs = new FieldCodec[accessors.slots.length];
        for (int i = 0; i < codecs.length; i++) {
            codecs[i] = FieldCodec.of(kryo, accessors.slots[i]);
        }
    }

    @Override
    public void write(Kryo kryo, Output output, T object) {
        int pop = pushTypeVariables();
        for (FieldCodec codec : codecs) {
            try {
                codec.write(kryo, output, object);
            } catch (KryoException e) {
                throw e;
            } catch (OutOfMemoryError | Exception e) {
                throw new KryoException("Error writing " + codec.name + " at position " + output.position(), e);
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                // Only reachable through a method handle throwing a bare Throwable.
                throw new KryoException("Error writing " + codec.name + " at position " + output.position(), e);
            }
        }
        popTypeVariables(pop);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
        int pop = pushTypeVariables();
        T object = kryo.newInstance(type);
        kryo.reference(object);
        for (FieldCodec codec : codecs) {
            try {
                codec.read(kryo, input, object);
            } catch (KryoException e) {
                throw e;
            } catch (OutOfMemoryError | Exception e) {
                throw new KryoException("Error reading " + codec.name + " at position " + input.position(), e);
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                // Only reachable through a method handle throwing a bare Throwable.
                throw new KryoException("Error reading " + codec.name + " at position " + input.position(), e);
            }
        }
        popTypeVariables(pop);
        return object;
    }

    /** As {@code FieldSerializer.pushTypeVariables}: binds the type variables of a generic class being written. */
    private int pushTypeVariables() {
        Generics generics = kryo.getGenerics();
        GenericType[] genericTypes = generics.nextGenericTypes();
        if (genericTypes == null) {
            return 0;
        }
        return generics.pushTypeVariables(genericsHierarchy, genericTypes);
    }

    /** As {@code FieldSerializer.popTypeVariables}, including its unconditional {@code popGenericType}. */
    private void popTypeVariables(int pop) {
        Generics generics = kryo.getGenerics();
        if (pop > 0) {
            generics.popTypeVariables(pop);
        }
        generics.popGenericType();
    }

    /** Reads and writes one field; each subclass handles one kind, like Kryo's specialised cached fields. */
    abstract static class FieldCodec {

        final String name;
        final MethodHandle getter;
        final MethodHandle setter;

        FieldCodec(FieldAccessors.Slot slot) {
            this.name = slot.name;
            this.getter = slot.getter;
            this.setter = slot.setter;
        }

        static FieldCodec of(Kryo kryo, FieldAccessors.Slot slot) {
            return switch (slot.kind) {
                case BOOLEAN -> new BooleanCodec(slot);
                case BYTE -> new ByteCodec(slot);
                case CHAR -> new CharCodec(slot);
                case SHORT -> new ShortCodec(slot);
                case INT -> new IntCodec(slot);
                case LONG -> new LongCodec(slot);
                case FLOAT -> new FloatCodec(slot);
                case DOUBLE -> new DoubleCodec(slot);
                case STRING -> new StringCodec(slot);
                case OBJECT -> new ObjectCodec(kryo, slot);
            };
        }

        abstract void write(Kryo kryo, Output output, Object object) throws Throwable;

        abstract void read(Kryo kryo, Input input, Object object) throws Throwable;
    }

    private static final class IntCodec extends FieldCodec {

        IntCodec(FieldAccessors.Slot slot) {
            super(slot);
        }

        @Override
        void write(Kryo kryo, Output output, Object object) throws Throwable {
            output.writeVarInt((int) getter.invokeExact(object), false);
        }

        @Override
        void read(Kryo kryo, Input input, Object object) throws Throwable {
            setter.invokeExact(object, input.readVarInt(false));
        }
    }

    private static final class LongCodec extends FieldCodec {

        LongCodec(FieldAccessors.Slot slot) {
            super(slot);
        }

        @Override
        void write(Kryo kryo, Output output, Object object) throws Throwable {
            output.writeVarLong((long) getter.invokeExact(object), false);
        }

        @Override
        void read(Kryo kryo, Input input, Object object) throws Throwable {
            setter.invokeExact(object, input.readVarLong(false));
        }
    }

    private static final class BooleanCodec extends FieldCodec {

        BooleanCodec(FieldAccessors.Slot slot) {
            super(slot);
        }

        @Override
        void write(Kryo kryo, Output output, Object object) throws Throwable {
            output.writeBoolean((boolean) getter.invokeExact(object));
        }

        @Override
        void read(Kryo kryo, Input input, Object object) throws Throwable {
            setter.invokeExact(object, input.readBoolean());
        }
    }

    private static final class ByteCodec extends FieldCodec {

        ByteCodec(FieldAccessors.Slot slot) {
            super(slot);
        }

        @Override
        void write(Kryo kryo, Output output, Object object) throws Throwable {
            output.writeByte((byte) getter.invokeExact(object));
        }

        @Override
        void read(Kryo kryo, Input input, Object object) throws Throwable {
            setter.invokeExact(object, input.readByte());
        }
    }

    private static final class CharCodec extends FieldCodec {

        CharCodec(FieldAccessors.Slot slot) {
            super(slot);
        }

        @Override
        void write(Kryo kryo, Output output, Object object) throws Throwable {
            output.writeChar((char) getter.invokeExact(object));
        }

        @Override
        void read(Kryo kryo, Input input, Object object) throws Throwable {
            setter.invokeExact(object, input.readChar());
        }
    }

    private static final class ShortCodec extends FieldCodec {

        ShortCodec(FieldAccessors.Slot slot) {
            super(slot);
        }

        @Override
        void write(Kryo kryo, Output output, Object object) throws Throwable {
            output.writeShort((short) getter.invokeExact(object));
        }

        @Override
        void read(Kryo kryo, Input input, Object object) throws Throwable {
            setter.invokeExact(object, input.readShort());
        }
    }

    private static final class FloatCodec extends FieldCodec {

        FloatCodec(FieldAccessors.Slot slot) {
            super(slot);
        }

        @Override
        void write(Kryo kryo, Output output, Object object) throws Throwable {
            output.writeFloat((float) getter.invokeExact(object));
        }

        @Override
        void read(Kryo kryo, Input input, Object object) throws Throwable {
            setter.invokeExact(object, input.readFloat());
        }
    }

    private static final class DoubleCodec extends FieldCodec {

        DoubleCodec(FieldAccessors.Slot slot) {
            super(slot);
        }

        @Override
        void write(Kryo kryo, Output output, Object object) throws Throwable {
            output.writeDouble((double) getter.invokeExact(object));
        }

        @Override
        void read(Kryo kryo, Input input, Object object) throws Throwable {
            setter.invokeExact(object, input.readDouble());
        }
    }

    /** Kryo writes a {@code String} field inline (its string format carries null) when references are off. */
    private static final class StringCodec extends FieldCodec {

        StringCodec(FieldAccessors.Slot slot) {
            super(slot);
        }

        @Override
        void write(Kryo kryo, Output output, Object object) throws Throwable {
            output.writeString((String) (Object) getter.invokeExact(object));
        }

        @Override
        void read(Kryo kryo, Input input, Object object) throws Throwable {
            setter.invokeExact(object, (Object) input.readString());
        }
    }

    /**
     * Any other field, as Kryo's {@code ReflectField}: a final (or generically resolved final)
     * class is written without a class id, through a serializer looked up once; anything else
     * is preceded by its class, which the reader resolves through the allowlist.
     */
    private static final class ObjectCodec extends FieldCodec {

        private final GenericType genericType;
        private final boolean isArray;
        /** The field's class when it is final, else {@code null}: then it is resolved per value. */
        private final Class<?> valueClass;
        private Serializer<?> serializer;

        ObjectCodec(Kryo kryo, FieldAccessors.Slot slot) {
            super(slot);
            this.genericType = slot.genericType;
            this.isArray = slot.valueClass.isArray();
            this.valueClass = kryo.isFinal(slot.valueClass) ? slot.valueClass : null;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        void write(Kryo kryo, Output output, Object object) {
            try {
                Object value = (Object) getter.invokeExact(object);
                Serializer serializer = this.serializer;
                Class<?> concreteType = resolveFieldClass(kryo);
                if (concreteType == null) {
                    if (value == null) {
                        kryo.writeClass(output, null);
                        return;
                    }
                    Registration registration = kryo.writeClass(output, value.getClass());
                    if (serializer == null) {
                        serializer = registration.getSerializer();
                    }
                    kryo.getGenerics().pushGenericType(genericType);
                    kryo.writeObject(output, value, serializer);
                } else {
                    if (serializer == null) {
                        serializer = kryo.getSerializer(concreteType);
                        if (valueClass != null) {
                            this.serializer = serializer;
                        }
                    }
                    kryo.getGenerics().pushGenericType(genericType);
                    kryo.writeObjectOrNull(output, value, serializer);
                }
                kryo.getGenerics().popGenericType();
            } catch (KryoException e) {
                e.addTrace(name + " (" + object.getClass().getName() + ")");
                throw e;
            } catch (StackOverflowError e) {
                throw new KryoException("A StackOverflow occurred. The most likely cause is that your data has a "
                        + "circular reference resulting in infinite recursion. Try enabling references with "
                        + "Kryo.setReferences(true). If your data structure is really more than " + kryo.getDepth()
                        + " levels deep then try increasing your Java stack size.", e);
            } catch (Throwable t) {
                KryoException e = new KryoException(t);
                e.addTrace(name + " (" + object.getClass().getName() + ")");
                throw e;
            }
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        void read(Kryo kryo, Input input, Object object) {
            try {
                Object value;
                Serializer serializer = this.serializer;
                Class concreteType = resolveFieldClass(kryo);
                if (concreteType == null) {
                    Registration registration = kryo.readClass(input);
                    if (registration == null) {
                        setter.invokeExact(object, (Object) null);
                        return;
                    }
                    if (serializer == null) {
                        serializer = registration.getSerializer();
                    }
                    kryo.getGenerics().pushGenericType(genericType);
                    value = kryo.readObject(input, registration.getType(), serializer);
                } else {
                    if (serializer == null) {
                        serializer = kryo.getSerializer(concreteType);
                        if (valueClass != null) {
                            this.serializer = serializer;
                        }
                    }
                    kryo.getGenerics().pushGenericType(genericType);
                    value = kryo.readObjectOrNull(input, concreteType, serializer);
                }
                kryo.getGenerics().popGenericType();
                setter.invokeExact(object, value);
            } catch (KryoException e) {
                e.addTrace(name + " (" + object.getClass().getName() + ")");
                throw e;
            } catch (Throwable t) {
                KryoException e = new KryoException(t);
                e.addTrace(name + " (" + object.getClass().getName() + ")");
                throw e;
            }
        }

        /** As {@code ReflectField.resolveFieldClass}: the declared final class, or a type variable bound to a final class. */
        private Class<?> resolveFieldClass(Kryo kryo) {
            if (valueClass == null) {
                Class<?> fieldClass = genericType.resolve(kryo.getGenerics());
                if (fieldClass != null && kryo.isFinal(fieldClass)) {
                    return isArray ? Util.getArrayType(fieldClass) : fieldClass;
                }
            }
            return valueClass;
        }
    }
}
