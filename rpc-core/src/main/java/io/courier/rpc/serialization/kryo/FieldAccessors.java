package io.courier.rpc.serialization.kryo;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The serialized components of one record, in wire order, with accessors compiled once into method
 * handles of exact types: {@code (Object)int} for an {@code int} field, {@code (Object)Object}
 * for a reference, and so on, so reading or writing a field neither boxes nor reflects.
 *
 * <p>Immutable and thread-safe: computed once per class (reflection is used here only) and
 * shared by every Kryo instance. Mirrors what Kryo 5.6 chooses, so the bytes are the same: a
 * record's components sorted by name, as {@code RecordSerializer} writes them. {@link #ofRecord}
 * returns {@code null} for a record it cannot mirror exactly (JDK classes, components carrying
 * Kryo's own annotations, accessors the JVM refuses to open), which then keeps Kryo's serializer.
 */
final class FieldAccessors {

    /** How a component travels: primitives inline without boxing, everything else as an object. */
    enum Kind { BOOLEAN, BYTE, CHAR, SHORT, INT, LONG, FLOAT, DOUBLE, OBJECT }


    /** One serialized field or record component. */
    static final class Slot {

        final String name;
        final Kind kind;
        /** The component's declared class. */
        final Class<?> valueClass;
        /** {@code (Object)T}, T the primitive type for primitive kinds, else {@code Object}. */
        final MethodHandle getter;
        /** The position in the canonical constructor. */
        final int constructorIndex;

        Slot(String name, Kind kind, Class<?> valueClass, MethodHandle getter, int constructorIndex) {
            this.name = name;
            this.kind = kind;
            this.valueClass = valueClass;
            this.getter = getter;
            this.constructorIndex = constructorIndex;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    final Class<?> type;
    final Slot[] slots;
    /** For records: {@code (Object[])Object}, the canonical constructor taking arguments in declaration order. */
    final MethodHandle constructor;

    private FieldAccessors(Class<?> type, Slot[] slots, MethodHandle constructor) {
        this.type = type;
        this.slots = slots;
        this.constructor = constructor;
    }

    /** The components Kryo's {@code RecordSerializer} writes for {@code type}, or {@code null} if they cannot be mirrored. */
    static FieldAccessors ofRecord(Class<?> type) {
        if (!isUserClass(type) || !type.isRecord()) {
            return null;
        }
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] parameterTypes = new Class<?>[components.length];
            List<Slot> slots = new ArrayList<>();
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                parameterTypes[i] = component.getType();
                Method accessor = component.getAccessor();
                if (!accessor.trySetAccessible()) {
                    return null;
                }
                // RecordSerializer writes strings as objects (with Kryo's null handling), not inline.
                Kind kind = kindOf(component.getType());
                MethodHandle getter = lookup.unreflect(accessor)
                        .asType(MethodType.methodType(exactType(kind), Object.class));
                slots.add(new Slot(component.getName(), kind, component.getType(), getter, i));
            }
            Constructor<?> canonical = type.getDeclaredConstructor(parameterTypes);
            if (!canonical.trySetAccessible()) {
                return null;
            }
            MethodHandle constructor = lookup.unreflectConstructor(canonical)
                    .asSpreader(Object[].class, components.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
            slots.sort(Comparator.comparing(slot -> slot.name));
            return new FieldAccessors(type, slots.toArray(new Slot[0]), constructor);
        } catch (IllegalAccessException | NoSuchMethodException | RuntimeException e) {
            // Kryo's record serializer keeps a record we cannot open.
            return null;
        }
    }

    private static boolean isUserClass(Class<?> type) {
        return !type.isInterface() && !type.isArray() && !type.isPrimitive() && !type.isHidden()
                && !Modifier.isAbstract(type.getModifiers()) && !TypeAllowlist.isJdkClass(type);
    }

    private static Kind kindOf(Class<?> type) {
        if (type == int.class) {
            return Kind.INT;
        } else if (type == long.class) {
            return Kind.LONG;
        } else if (type == boolean.class) {
            return Kind.BOOLEAN;
        } else if (type == double.class) {
            return Kind.DOUBLE;
        } else if (type == float.class) {
            return Kind.FLOAT;
        } else if (type == short.class) {
            return Kind.SHORT;
        } else if (type == byte.class) {
            return Kind.BYTE;
        } else if (type == char.class) {
            return Kind.CHAR;
        }
        return Kind.OBJECT;
    }

    private static Class<?> exactType(Kind kind) {
        return switch (kind) {
            case BOOLEAN -> boolean.class;
            case BYTE -> byte.class;
            case CHAR -> char.class;
            case SHORT -> short.class;
            case INT -> int.class;
            case LONG -> long.class;
            case FLOAT -> float.class;
            case DOUBLE -> double.class;
            case OBJECT -> Object.class;
        };
    }
}
