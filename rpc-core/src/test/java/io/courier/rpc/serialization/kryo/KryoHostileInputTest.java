package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.courier.rpc.serialization.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.courier.rpc.serialization.kryo.KryoTestSupport.read;
import static io.courier.rpc.serialization.kryo.KryoTestSupport.roundTrip;
import static io.courier.rpc.serialization.kryo.KryoTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bodies crafted by an attacker: huge declared lengths and deep nesting must fail fast and cleanly. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KryoHostileInputTest {

    private static final int HUGE = Integer.MAX_VALUE;
    /** A Kryo configured like the serializer's, to look up the ids of built-in types. */
    private static final Kryo KRYO = new KryoFactory(new TypeAllowlist(Set.of(), Set.of()),
            KryoHostileInputTest.class.getClassLoader(), 512).create().kryo;

    /** One hostile body: a value named by registered class id, then a hostile declared length. */
    record HostileBody(String name, Class<?> type, Consumer<Output> length) {

        byte[] bytes() {
            Output output = new Output(256);
            output.writeByte(ValueCodec.NAMED);
            output.writeVarInt(KRYO.getRegistration(type).getId() + 2, true);
            length.accept(output);
            output.writeBytes(new byte[90]);
            return output.toBytes();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<HostileBody> hugeLengths() {
        Consumer<Output> arrayLength = out -> out.writeVarInt(HUGE, true);
        Consumer<Output> collectionLength = out -> out.writeVarIntFlag(true, HUGE, true);
        Consumer<Output> utf8Length = out -> out.writeVarIntFlag(true, HUGE, true);
        return Stream.of(
                new HostileBody("Object[]", Object[].class, arrayLength),
                new HostileBody("String[]", String[].class, arrayLength),
                new HostileBody("byte[]", byte[].class, arrayLength),
                new HostileBody("int[]", int[].class, arrayLength),
                new HostileBody("long[]", long[].class, arrayLength),
                new HostileBody("double[]", double[].class, arrayLength),
                new HostileBody("char[]", char[].class, arrayLength),
                new HostileBody("boolean[]", boolean[].class, arrayLength),
                new HostileBody("String", String.class, utf8Length),
                new HostileBody("ArrayList", ArrayList.class, collectionLength),
                new HostileBody("ArrayList of nulls", ArrayList.class, out -> out.writeVarIntFlag(true, 1_000_000, true)),
                new HostileBody("LinkedList", LinkedList.class, collectionLength),
                new HostileBody("List.of", List.of(1, 2, 3).getClass(), collectionLength),
                new HostileBody("Arrays.asList", Arrays.asList(1).getClass(), collectionLength),
                new HostileBody("HashMap", HashMap.class, arrayLength),
                new HostileBody("TreeMap", TreeMap.class, arrayLength),
                new HostileBody("BigInteger", java.math.BigInteger.class, arrayLength));
    }

    @ParameterizedTest
    @MethodSource("hugeLengths")
    void refusesDeclaredLengthsLargerThanTheBody(HostileBody hostile) {
        KryoSerializer serializer = KryoSerializer.ofDefaults();
        byte[] body = hostile.bytes();
        assertThat(body.length).isLessThan(110);

        long start = System.nanoTime();
        assertThatThrownBy(() -> read(serializer, Object.class, body))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Body declares")
                .hasMessageContaining("bytes remain");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);

        assertThat(roundTrip(serializer, serializer, List.of("still", "works"), Object.class))
                .isEqualTo(List.of("still", "works"));
    }

    @Test
    void refusesAHugeClassNameLength() {
        Output output = new Output(128);
        output.writeByte(ValueCodec.NAMED);
        output.writeByte(1); // a class named by string
        output.writeVarInt(0, true);
        output.writeVarIntFlag(true, HUGE, true);
        output.writeBytes(new byte[90]);

        assertThatThrownBy(() -> read(KryoSerializer.ofDefaults(), Object.class, output.toBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Body declares");
    }

    @Test
    void refusesAHugeArgumentCountBeforeAllocating() {
        Output output = new Output(128);
        output.writeVarInt(HUGE, true);
        output.writeBytes(new byte[90]);

        assertThatThrownBy(() -> KryoSerializer.ofDefaults().readArguments(new Type[] {int.class},
                new ByteArrayInputStream(output.toBytes())))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Body holds 2147483647 arguments but 1 parameters are declared");
    }

    @Test
    void refusesAHugeExceptionFieldCount() {
        Output output = new Output(256);
        output.writeString(IllegalStateException.class.getName());
        output.writeString("message");
        output.writeVarInt(HUGE, true);
        output.writeBytes(new byte[90]);

        assertThatThrownBy(() -> KryoSerializer.ofDefaults().readException(new ByteArrayInputStream(output.toBytes())))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Body declares");
    }

    @Test
    void refusesAnAllowedButMissingClass() {
        Output output = new Output(128);
        output.writeByte(ValueCodec.NAMED);
        output.writeByte(1);
        output.writeVarInt(0, true);
        output.writeString("com.acme.Missing");

        assertThatThrownBy(() -> read(KryoSerializer.builder().allowPackages("com.acme.*").build(), Object.class,
                output.toBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Class com.acme.Missing named in the body cannot be loaded");
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        KryoSerializer serializer = KryoSerializer.ofDefaults();
        byte[] body = nestedArrays(100_000);

        assertThatThrownBy(() -> read(serializer, Object.class, body))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("nests deeper than 512 levels");
        assertThat(read(serializer, Object.class, nestedArrays(400))).isInstanceOf(Object[].class);
        assertThatThrownBy(() -> read(KryoSerializer.builder().maxDepth(50).build(), Object.class, nestedArrays(100)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("nests deeper than 50 levels");
    }

    @Test
    void writingAGraphDeeperThanTheLimitFailsCleanly() {
        Object[] deep = new Object[1];
        Object[] current = deep;
        for (int i = 0; i < 1_000; i++) {
            Object[] next = new Object[1];
            current[0] = next;
            current = next;
        }
        Object[] cyclic = new Object[1];
        cyclic[0] = cyclic;
        KryoSerializer serializer = KryoSerializer.ofDefaults();

        assertThatThrownBy(() -> write(serializer, deep, Object.class)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> write(serializer, cyclic, Object.class)).isInstanceOf(SerializationException.class);
        assertThat(roundTrip(serializer, serializer, List.of("still", "works"), Object.class))
                .isEqualTo(List.of("still", "works"));
    }

    @Test
    void aStackOverflowNeverEscapes() throws Exception {
        KryoSerializer serializer = KryoSerializer.builder().maxDepth(100_000).build();
        byte[] body = nestedArrays(50_000);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(null, () -> {
            try {
                read(serializer, Object.class, body);
            } catch (Throwable t) {
                thrown.set(t);
            }
            done.complete(null);
        }, "small-stack", 256 * 1024);
        thread.start();
        done.get(20, TimeUnit.SECONDS);

        assertThat(thrown.get())
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("nests too deeply");
        assertThat(roundTrip(serializer, serializer, List.of("still", "works"), Object.class))
                .isEqualTo(List.of("still", "works"));
    }

    /** Nests {@code new Object[] {new Object[] {...null}}} by repeating the bytes of one level. */
    private static byte[] nestedArrays(int depth) {
        KryoSerializer serializer = KryoSerializer.ofDefaults();
        byte[] one = write(serializer, new Object[] {null}, Object.class);
        byte[] two = write(serializer, new Object[] {new Object[] {null}}, Object.class);
        int levelLength = two.length - one.length;
        byte[] level = Arrays.copyOfRange(two, 1, 1 + levelLength);
        byte[] expectedTwo = concat(new byte[] {one[0]}, level, Arrays.copyOfRange(one, 1, one.length));
        assertThat(two).isEqualTo(expectedTwo);

        byte[] body = new byte[one.length + levelLength * (depth - 1)];
        body[0] = one[0];
        for (int i = 0; i < depth - 1; i++) {
            System.arraycopy(level, 0, body, 1 + i * levelLength, levelLength);
        }
        System.arraycopy(one, 1, body, 1 + (depth - 1) * levelLength, one.length - 1);
        return body;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] result = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, result, offset, part.length);
            offset += part.length;
        }
        return result;
    }
}
