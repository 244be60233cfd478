package io.courier.rpc.auth;

import io.courier.rpc.serialization.Serializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.concurrent.atomic.AtomicInteger;

/** Kryo under its own wire id, counting the request bodies it decodes. */
final class CountingSerializer implements Serializer {

    final AtomicInteger decodedArguments = new AtomicInteger();
    private final Serializer kryo = KryoSerializer.ofDefaults();

    @Override
    public byte id() {
        return kryo.id();
    }

    @Override
    public String name() {
        return "counting-kryo";
    }

    @Override
    public void allowTypesOf(Class<?> serviceInterface) {
        kryo.allowTypesOf(serviceInterface);
    }

    @Override
    public void writeArguments(Object[] arguments, Type[] parameterTypes, OutputStream out) {
        kryo.writeArguments(arguments, parameterTypes, out);
    }

    @Override
    public Object[] readArguments(Type[] parameterTypes, InputStream in) {
        decodedArguments.incrementAndGet();
        return kryo.readArguments(parameterTypes, in);
    }

    @Override
    public void writeValue(Object value, Type declaredType, OutputStream out) {
        kryo.writeValue(value, declaredType, out);
    }

    @Override
    public Object readValue(Type declaredType, InputStream in) {
        return kryo.readValue(declaredType, in);
    }

    @Override
    public void writeException(Throwable exception, OutputStream out) {
        kryo.writeException(exception, out);
    }

    @Override
    public Throwable readException(InputStream in) {
        return kryo.readException(in);
    }
}
