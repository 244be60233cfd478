package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.courier.rpc.RpcException;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.SerializationException;

/**
 * Writes exceptions as message, user fields and cause chain, never stack traces, and without
 * reflective access to {@link Throwable}'s own fields.
 *
 * <p>Not thread-safe: like every Kryo serializer, used by one {@link Kryo} instance at a time;
 * the {@link ThrowableLayout} cache it reads is shared and thread-safe. Body layout:
 * <pre>
 * message (string or null)
 * field count (varint), then per field: name (string), value (class and object)
 * has cause (boolean), then: cause class name (string), cause body (this layout again)
 * </pre>
 * Kryo itself writes the class of an exception met inside another value; a top-level exception
 * is written by {@link #writeNamed} as its class name followed by its body. Causes are written
 * to a depth of {@value #MAX_CAUSE_DEPTH}. A cause whose class the reader refuses or lacks
 * arrives as an {@link RpcException} with code {@code APPLICATION_ERROR} naming the class, so
 * that a known exception is not lost because of an unknown cause.
 */
final class ThrowableSerializer extends Serializer<Throwable> {

    static final int MAX_CAUSE_DEPTH = 16;

    private static final StackTraceElement[] NO_STACK_TRACE = new StackTraceElement[0];

    private final ClassValue<ThrowableLayout> layouts;

    ThrowableSerializer(ClassValue<ThrowableLayout> layouts) {
        this.layouts = layouts;
    }

    @Override
    public void write(Kryo kryo, Output output, Throwable exception) {
        writeBody(kryo, output, exception, 0);
    }

    @Override
    public Throwable read(Kryo kryo, Input input, Class<? extends Throwable> type) {
        return readBody(kryo, input, type, type.getName(), 0);
    }

    /** Writes an exception's class name, then its body. */
    void writeNamed(Kryo kryo, Output output, Throwable exception, int depth) {
        output.writeString(exception.getClass().getName());
        writeBody(kryo, output, exception, depth);
    }

    /**
     * Reads what {@link #writeNamed} wrote.
     *
     * @param degrade whether a refused or unknown class becomes an {@link RpcException} instead of failing
     */
    Throwable readNamed(Kryo kryo, Input input, int depth, boolean degrade) {
        String className = input.readString();
        if (className == null) {
            throw new SerializationException("Exception class name is missing from the body");
        }
        Class<?> type;
        try {
            type = ((AllowlistClassResolver) kryo.getClassResolver()).loadAllowedException(className);
            if (!Throwable.class.isAssignableFrom(type)) {
                throw new SerializationException("Class " + className + " named as an exception is not a Throwable");
            }
        } catch (SerializationException refused) {
            if (!degrade) {
                throw refused;
            }
            // The body is still read in full below so that the rest of the chain survives.
            type = null;
        }
        return readBody(kryo, input, type, className, depth);
    }

    private void writeBody(Kryo kryo, Output output, Throwable exception, int depth) {
        output.writeString(exception.getMessage());
        ThrowableLayout layout = layouts.get(exception.getClass());
        output.writeVarInt(layout.fieldCount(), true);
        for (int i = 0; i < layout.fieldCount(); i++) {
            output.writeString(layout.fieldName(i));
            kryo.writeClassAndObject(output, layout.fieldValue(exception, i));
        }
        Throwable cause = exception.getCause();
        boolean writeCause = cause != null && cause != exception && depth < MAX_CAUSE_DEPTH;
        output.writeBoolean(writeCause);
        if (writeCause) {
            writeNamed(kryo, output, cause, depth + 1);
        }
    }

    /** Reads a body; {@code type} is {@code null} when the class was refused and the body is only consumed. */
    private Throwable readBody(Kryo kryo, Input input, Class<?> type, String className, int depth) {
        if (depth > MAX_CAUSE_DEPTH) {
            throw new SerializationException("Exception cause chain is deeper than " + MAX_CAUSE_DEPTH);
        }
        String message = input.readString();
        ThrowableLayout layout = type == null ? null : layouts.get(type);
        int fieldCount = input.readVarInt(true);
        // A field takes at least a name and a value: two bytes.
        BoundedInput.checkCount(input, fieldCount, 2, "exception fields");
        Object[] values = layout == null ? null : new Object[layout.fieldCount()];
        boolean[] present = layout == null ? null : new boolean[layout.fieldCount()];
        for (int i = 0; i < fieldCount; i++) {
            String name = input.readString();
            Object value = kryo.readClassAndObject(input);
            int index = layout == null || name == null ? -1 : layout.indexOf(name);
            if (index >= 0) {
                values[index] = value;
                present[index] = true;
            }
        }
        Throwable cause = input.readBoolean() ? readNamed(kryo, input, depth + 1, true) : null;
        if (layout == null) {
            RpcException standIn = new RpcException(RpcErrorCode.APPLICATION_ERROR, message, cause, className);
            standIn.setStackTrace(NO_STACK_TRACE);
            return standIn;
        }
        return layout.create(message, cause, values, present);
    }
}
