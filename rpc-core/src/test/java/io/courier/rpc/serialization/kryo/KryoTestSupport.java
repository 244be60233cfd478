package io.courier.rpc.serialization.kryo;

import io.courier.rpc.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;

/** Writes with one serializer and reads with another, as two independent peers would. */
final class KryoTestSupport {

    static final String FIXTURES = "io.courier.rpc.serialization.fixtures.*";

    private KryoTestSupport() {
    }

    static byte[] write(Serializer serializer, Object value, Type type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.writeValue(value, type, out);
        return out.toByteArray();
    }

    static Object read(Serializer serializer, Type type, byte[] body) {
        return serializer.readValue(type, new ByteArrayInputStream(body));
    }

    static byte[] writeException(Serializer serializer, Throwable exception) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.writeException(exception, out);
        return out.toByteArray();
    }

    static Throwable readException(Serializer serializer, byte[] body) {
        return serializer.readException(new ByteArrayInputStream(body));
    }

    static Object roundTrip(Serializer writer, Serializer reader, Object value, Type type) {
        return read(reader, type, write(writer, value, type));
    }

    /** A serializer allowing the fixtures package (not its {@code hostile} subpackage). */
    static KryoSerializer fixtures() {
        return KryoSerializer.builder().allowPackages(FIXTURES).build();
    }
}
