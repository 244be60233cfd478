package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.courier.rpc.serialization.SerializationException;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * Writes one argument or return value as a tag byte followed by the value, and checks what is
 * read against the declared type.
 *
 * <p>Thread-safe (stateless). The tag saves the class name for the common case where a value's
 * class is exactly its declared class: both peers declare the same signature, so the reader
 * takes the class from its own declaration rather than from the body. That class comes from
 * trusted code, not from the wire, so it needs no allowlist check; any other class is named in
 * the body and checked. A declared {@code CompletableFuture<T>} or {@code CompletionStage<T>}
 * counts as {@code T}.
 */
final class ValueCodec {

    static final byte NULL = 0;
    static final byte DECLARED = 1;
    static final byte NAMED = 2;

    private ValueCodec() {
    }

    static void write(Kryo kryo, Output output, Object value, Type declaredType) {
        if (value == null) {
            output.writeByte(NULL);
        } else if (classOf(value) == boxed(rawClass(declaredType))) {
            output.writeByte(DECLARED);
            kryo.writeObject(output, value);
        } else {
            output.writeByte(NAMED);
            kryo.writeClassAndObject(output, value);
        }
    }

    /**
     * Reads a value written by {@link #write}.
     *
     * @param index the argument's position, or -1 for a return value; only used in messages
     */
    static Object read(Kryo kryo, Input input, Type declaredType, int index) {
        Class<?> raw = rawClass(declaredType);
        Class<?> declared = boxed(raw);
        byte tag = input.readByte();
        switch (tag) {
            case NULL:
                if (raw.isPrimitive() && raw != void.class) {
                    throw new SerializationException(label(index) + " is null but " + raw.getName() + " is declared");
                }
                return null;
            case DECLARED:
                if (declared.isInterface() || (!declared.isArray() && Modifier.isAbstract(declared.getModifiers()))) {
                    throw new SerializationException(label(index) + " was written as its declared class, but here "
                            + declared.getName() + " is declared, which is abstract");
                }
                return kryo.readObject(input, declared);
            case NAMED:
                Object value = kryo.readClassAndObject(input);
                if (value == null ? raw.isPrimitive() && raw != void.class : !declared.isInstance(value)) {
                    throw new SerializationException(label(index) + " holds "
                            + (value == null ? "null" : "a " + value.getClass().getName())
                            + " but " + declared.getName() + " is declared");
                }
                return value;
            default:
                throw new SerializationException("Unknown value tag " + tag + " for " + label(index).toLowerCase());
        }
    }

    /** The class a value is written as: an enum constant with a body counts as its enum. */
    private static Class<?> classOf(Object value) {
        return value instanceof Enum<?> constant ? constant.getDeclaringClass() : value.getClass();
    }

    static Class<?> rawClass(Type type) {
        Class<?> raw = erase(type);
        if (raw != Object.class && (Future.class.isAssignableFrom(raw) || CompletionStage.class.isAssignableFrom(raw))) {
            return type instanceof ParameterizedType p ? erase(p.getActualTypeArguments()[0]) : Object.class;
        }
        return raw;
    }

    private static Class<?> erase(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof GenericArrayType a) {
            return Array.newInstance(erase(a.getGenericComponentType()), 0).getClass();
        }
        if (type instanceof TypeVariable<?> v) {
            return erase(v.getBounds()[0]);
        }
        if (type instanceof WildcardType w) {
            return erase(w.getUpperBounds()[0]);
        }
        return Object.class;
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == int.class) {
            return Integer.class;
        } else if (type == long.class) {
            return Long.class;
        } else if (type == boolean.class) {
            return Boolean.class;
        } else if (type == double.class) {
            return Double.class;
        } else if (type == float.class) {
            return Float.class;
        } else if (type == short.class) {
            return Short.class;
        } else if (type == byte.class) {
            return Byte.class;
        } else if (type == char.class) {
            return Character.class;
        }
        return Void.class;
    }

    private static String label(int index) {
        return index < 0 ? "Return value" : "Argument " + index;
    }
}
