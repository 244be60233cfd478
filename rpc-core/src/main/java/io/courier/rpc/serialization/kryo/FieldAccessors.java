package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.util.Generics.GenericType;

import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The serialized fields of one class, in wire order, with accessors compiled once into method
 * handles of exact types: {@code (Object)int} for an {@code int} field, {@code (Object)Object}
 * for a reference, and so on, so reading or writing a field neither boxes nor reflects.
 *
 * <p>Immutable and thread-safe: computed once per class (reflection is used here only) and
 * shared by every Kryo instance. Mirrors what Kryo 5.6 chooses, so the bytes are the same:
 * for a plain class, {@code FieldSerializer}'s non-static, non-transient, non-synthetic fields of
 * the class and its superclasses, sorted by name (subclass first on a tie); for a record,
 * {@code RecordSerializer}'s components sorted by name. {@link #ofFields} and {@link #ofRecord}
 * return {@code null} for a class they cannot mirror exactly (JDK classes, fields carrying Kryo's
 * own annotations, accessors the JVM refuses to open), which then keeps Kryo's serializer.
 */
final class FieldAccessors {

    /** How a slot travels; primitives and strings are written inline, like Kryo's specialised fields. */
    enum Kind { BOOLEAN, BYTE, CHAR, SHORT, INT, LONG, FLOAT, DOUBLE, STRING, OBJECT }

    private static final Set<Class<? extends Annotation>> KRYO_FIELD_ANNOTATIONS = Set.of(
            FieldSerializer.Optional.class, FieldSerializer.Bind.class, FieldSerializer.NotNull.class,
            CollectionSerializer.BindCollection.class, MapSerializer.BindMap.class);

    /** One serialized field or record component. */
    static final class Slot {

        final String name;
        final Kind kind;
        /** The field's class after resolving type variables against the serialized class, as Kryo does. */
        final Class<?> valueClass;
        /** Kryo's view of the declared generic type, which drives its generic element optimisations. */
        final GenericType genericType;
        /** {@code (Object)T}, T the primitive type for primitive kinds, else {@code Object}. */
        final MethodHandle getter;
        /** {@code (Object, T)void}; {@code null} for record components. */
        final MethodHandle setter;
        /** The position in the canonical constructor, for record components; else -1. */
        final int constructorIndex;

        Slot(String name, Kind kind, Class<?> valueClass, GenericType genericType, MethodHandle getter,
                MethodHandle setter, int constructorIndex) {
            this.name = name;
            this.kind = kind;
            this.valueClass = valueClass;
            this.genericType = genericType;
            this.getter = getter;
            this.setter = setter;
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

    /** The fields Kryo's {@code FieldSerializer} writes for {@code type}, or {@code null} if they cannot be mirrored. */
    static FieldAccessors ofFields(Class<?> type) {
        if (!isUserClass(type) || type.isRecord() || type.isEnum()) {
            return null;
        }
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        List<Slot> slots = new ArrayList<>();
        try {
            for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
                if (TypeAllowlist.isJdkClass(c)) {
                    return null;
                }
                for (Field field : c.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers) || field.isSynthetic() || Modifier.isTransient(modifiers)) {
                        continue;
                    }
                    if (hasKryoAnnotation(field) || !field.trySetAccessible()) {
                        return null;
                    }
                    GenericType genericType = new GenericType(c, type, field.getGenericType());
                    Class<?> valueClass = genericType.getType() instanceof Class<?> resolved ? resolved : field.getType();
                    Kind kind = kindOf(valueClass);
                    Class<?> exact = exactType(kind);
                    MethodHandle getter = lookup.unreflectGetter(field).asType(MethodType.methodType(exact, Object.class));
                    MethodHandle setter = lookup.unreflectSetter(field)
                            .asType(MethodType.methodType(void.class, Object.class, exact));
                    slots.add(new Slot(field.getName(), kind, valueClass, genericType, getter, setter, -1));
                }
            }
        } catch (IllegalAccessException | RuntimeException e) {
            // Kryo's serializer stays in charge of a class we cannot open; it fails or copes as before.
            return null;
        }
        // Stable sort: on a name shared with a superclass, the subclass's field stays first, as in Kryo.
        slots.sort(Comparator.comparing(slot -> slot.name));
        return new FieldAccessors(type, slots.toArray(new Slot[0]), null);
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
                Kind kind = kindOf(component.getType());
                // RecordSerializer writes strings as objects (with Kryo's null handling), not inline.
                if (kind == Kind.STRING) {
                    kind = Kind.OBJECT;
                }
                MethodHandle getter = lookup.unreflect(accessor)
                        .asType(MethodType.methodType(exactType(kind), Object.class));
                slots.add(new Slot(component.getName(), kind, component.getType(), null, getter, null, i));
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
            // As for plain classes: Kryo's record serializer keeps a record we cannot open.
            return null;
        }
    }

    private static boolean isUserClass(Class<?> type) {
        return !type.isInterface() && !type.isArray() && !type.isPrimitive() && !type.isHidden()
                && !Modifier.isAbstract(type.getModifiers()) && !TypeAllowlist.isJdkClass(type);
    }

    private static boolean hasKryoAnnotation(Field field) {
        for (Class<? extends Annotation> annotation : KRYO_FIELD_ANNOTATIONS) {
            if (field.isAnnotationPresent(annotation)) {
                return true;
            }
        }
        return false;
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
        } else if (type == String.class) {
            return Kind.STRING;
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
            case STRING, OBJECT -> Object.class;
        };
    }
}
