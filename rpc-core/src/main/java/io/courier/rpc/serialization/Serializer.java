package io.courier.rpc.serialization;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;

/**
 * Turns call arguments, return values and exceptions into bytes and back.
 *
 * <p>Implementations must be thread-safe: one instance serves every connection and thread.
 * Each implementation has a stable {@link #id()} written into every frame, so a receiver can
 * decode a body written by a differently configured peer. Every failure is reported as a
 * {@link SerializationException}; implementations must never load or instantiate a class named
 * on the wire before checking it against their allowlist, and must refuse declared lengths
 * larger than the input that carries them.
 *
 * <p>Input streams passed to the read methods are bounded to exactly one body; readers may
 * consume them entirely. Output streams must not be closed by the serializer.
 */
public interface Serializer {

    /** Returns the wire id of this format, from 1 to 127; stable across versions. */
    byte id();

    /** Returns the configuration name of this format, for example {@code kryo} or {@code json}. */
    String name();

    /**
     * Allows every type reachable from the signatures of a service interface's methods:
     * parameters, return types, declared exceptions, generic arguments, and the fields of the
     * DTOs and records among them. Called once per exported or referenced interface; the
     * default does nothing, for formats without an allowlist.
     */
    default void allowTypesOf(Class<?> serviceInterface) {
    }

    /** Writes a call's arguments, declared with the given parameter types, as one body. */
    void writeArguments(Object[] arguments, Type[] parameterTypes, OutputStream out);

    /** Reads a body written by {@link #writeArguments}; returns one value per parameter type. */
    Object[] readArguments(Type[] parameterTypes, InputStream in);

    /** Writes one value (a return value, possibly {@code null}) declared with the given type. */
    void writeValue(Object value, Type declaredType, OutputStream out);

    /** Reads a value written by {@link #writeValue}. */
    Object readValue(Type declaredType, InputStream in);

    /**
     * Writes an exception thrown by business code so that the consumer can re-create it.
     * Stack traces are not written: they stay on the provider.
     */
    void writeException(Throwable exception, OutputStream out);

    /**
     * Re-creates an exception written by {@link #writeException}.
     *
     * @throws SerializationException when the exception type is refused or cannot be instantiated;
     *     the caller then reports the remote class name and message instead
     */
    Throwable readException(InputStream in);
}
