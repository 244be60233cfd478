package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.RecordSerializer;
import io.courier.rpc.serialization.SerializationException;
import io.courier.rpc.serialization.fixtures.Address;
import io.courier.rpc.serialization.fixtures.Money;
import io.courier.rpc.serialization.fixtures.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compiled record serializer writes byte for byte what Kryo's reflective one writes, and each
 * reads the other's bodies, so peers on either side interoperate; records nested in plain classes,
 * collections and maps, and plain classes nested in records, included.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KryoCompiledSerializerTest {

    private static final TypeAllowlist ALLOWLIST = new TypeAllowlist(Set.of(),
            Set.of("io.courier.rpc.serialization.kryo.*", KryoTestSupport.FIXTURES));
    private static final ClassLoader LOADER = KryoCompiledSerializerTest.class.getClassLoader();
    private static final KryoFactory REFLECTIVE = new KryoFactory(ALLOWLIST, LOADER, 512, false);
    private static final KryoFactory COMPILED = new KryoFactory(ALLOWLIST, LOADER, 512, true);

    /** A value and the type a method would declare for it. */
    record Case(String name, Object value, Type declared) {

        @Override
        public String toString() {
            return name;
        }
    }

    enum Color { RED, GREEN }

    record Primitives(int i, long l, boolean z, double d, float f, short s, byte b, char c) {
    }

    record Person(String name, Integer age, Color color, Role role, List<String> tags, Map<String, Integer> scores,
            Address address, Object anything, Primitives primitives, int[] numbers, String[] names) {
    }

    record Empty() {
    }

    /** A generic superclass: {@code value} is resolved to {@code String} for {@link Derived}, a final class. */
    static class Base<T> {
        T value;
        protected int count;
        String shared;
        private List<T> values;
    }

    /** Not final: a field of this type carries its class. */
    static class Inner {
        String label;
        long stamp;

        Inner() {
        }

        Inner(String label, long stamp) {
            this.label = label;
            this.stamp = stamp;
        }
    }

    static final class Box<T> {
        T item;
        List<T> items;
    }

    static final class Derived extends Base<String> {
        static String ignoredStatic = "static";
        transient String ignoredTransient;
        /** Same name as the superclass field: both travel, the subclass's first. */
        String shared;
        boolean flag;
        byte b;
        char c;
        short s;
        float f;
        double d;
        Integer boxedInt;
        Long boxedLong;
        Boolean boxedFlag;
        String text;
        Color color;
        Role role;
        LocalDate date;
        BigDecimal amount;
        List<Integer> numbers;
        Map<String, List<String>> nested;
        Object anything;
        Inner inner;
        Money money;
        Address address;
        Box<String> box;
        Box<Inner> innerBox;
        int[] ints;
        Inner[] inners;
        Primitives primitives;
    }

    /** A plain class with final fields, rebuilt without a constructor. */
    static final class Frozen {
        private final int id;
        private final String name;

        Frozen(int id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    static Stream<Case> cases() {
        Primitives primitives = new Primitives(-7, Long.MIN_VALUE, true, 2.5, -1.5f, (short) 300, (byte) -3, 'é');
        Person person = new Person("Zoë", 42, Color.GREEN, Role.USER, List.of("a", "ü"), new LinkedHashMap<>(Map.of("x", 1)),
                new Address("Paris", "75001"), new Inner("any", 3), primitives, new int[] {1, -2}, new String[] {"s", null});
        Person nulls = new Person(null, null, null, null, null, null, null, null, null, null, null);
        return Stream.of(
                new Case("record of primitives", primitives, Primitives.class),
                new Case("record of objects", person, Person.class),
                new Case("record of nulls", nulls, Person.class),
                new Case("empty record", new Empty(), Empty.class),
                new Case("record named", person, Object.class),
                new Case("plain class, all kinds", derived(), Derived.class),
                new Case("plain class, nulls", new Derived(), Derived.class),
                new Case("plain class named", derived(), Object.class),
                new Case("plain class with final fields", new Frozen(9, "frozen"), Frozen.class),
                new Case("fixture plain class", new Money("EUR", new BigDecimal("1.50")), Money.class),
                new Case("list of records", new ArrayList<>(List.of(primitives, primitives)), List.class),
                new Case("map of plain classes", new HashMap<>(Map.of("d", derived(), "e", new Derived())), Map.class),
                new Case("array of plain classes", new Derived[] {derived(), null}, Derived[].class),
                new Case("generic box", box("item", List.of("x", "y")), Box.class));
    }

    private static Derived derived() {
        Derived d = new Derived();
        d.value = "from base";
        d.count = 12;
        ((Base<String>) d).shared = "base's";
        ((Base<String>) d).values = new ArrayList<>(List.of("v1", "v2"));
        d.ignoredTransient = "not sent";
        d.shared = "derived's";
        d.flag = true;
        d.b = -1;
        d.c = '€';
        d.s = Short.MIN_VALUE;
        d.f = 3.25f;
        d.d = -0.0;
        d.boxedInt = -5;
        d.boxedLong = 1L << 40;
        d.boxedFlag = false;
        d.text = "ascii text";
        d.color = Color.RED;
        d.role = Role.USER;
        d.date = LocalDate.of(2024, 2, 29);
        d.amount = new BigDecimal("-12.345");
        d.numbers = new ArrayList<>(Arrays.asList(1, null, 3));
        d.nested = new TreeMap<>(Map.of("k", List.of("a", "b")));
        d.anything = List.of(1, "two");
        d.inner = new Inner("inner", -9);
        d.money = new Money("USD", BigDecimal.TEN);
        d.address = new Address("Lyon", null);
        d.box = box("boxed", List.of("p", "q"));
        Box<Inner> innerBox = new Box<>();
        innerBox.item = new Inner("in a box", 1);
        innerBox.items = new ArrayList<>(List.of(new Inner("listed", 2)));
        d.innerBox = innerBox;
        d.ints = new int[] {Integer.MAX_VALUE, 0};
        d.inners = new Inner[] {new Inner("arr", 4), null};
        d.primitives = new Primitives(1, 2, false, 3, 4, (short) 5, (byte) 6, 'x');
        return d;
    }

    private static <T> Box<T> box(T item, List<T> items) {
        Box<T> box = new Box<>();
        box.item = item;
        box.items = new ArrayList<>(items);
        return box;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void compiledWritesTheSameBytesAsKryo(Case c) {
        byte[] reflective = write(REFLECTIVE, c.value, c.declared);
        byte[] compiled = write(COMPILED, c.value, c.declared);

        assertThat(compiled).isEqualTo(reflective);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void kryoReadsWhatCompiledWrites(Case c) {
        Object read = read(REFLECTIVE, write(COMPILED, c.value, c.declared), c.declared);

        assertThat(read).usingRecursiveComparison().ignoringFieldsMatchingRegexes(".*ignoredTransient").isEqualTo(c.value);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void compiledReadsWhatKryoWrites(Case c) {
        Object read = read(COMPILED, write(REFLECTIVE, c.value, c.declared), c.declared);

        assertThat(read).usingRecursiveComparison().ignoringFieldsMatchingRegexes(".*ignoredTransient").isEqualTo(c.value);
    }

    @Test
    void transientAndStaticFieldsAreNotSent() {
        Derived read = (Derived) read(COMPILED, write(COMPILED, derived(), Derived.class), Derived.class);

        assertThat(read.ignoredTransient).isNull();
        assertThat(read.shared).isEqualTo("derived's");
        assertThat(((Base<String>) read).shared).isEqualTo("base's");
    }

    @Test
    void compiledSerializersAreTheDefaultForRecordsOnly() {
        KryoContext context = new KryoFactory(ALLOWLIST, LOADER, 512).create();

        // Plain classes keep Kryo's Unsafe-based field serializer, which measured faster.
        assertThat(context.kryo.getSerializer(Derived.class)).isExactlyInstanceOf(FieldSerializer.class);
        assertThat(context.kryo.getSerializer(Person.class)).isInstanceOf(CompiledRecordSerializer.class);
        KryoContext reflective = REFLECTIVE.create();
        assertThat(reflective.kryo.getSerializer(Derived.class)).isExactlyInstanceOf(FieldSerializer.class);
        assertThat(reflective.kryo.getSerializer(Person.class)).isExactlyInstanceOf(RecordSerializer.class);
    }

    @Test
    void aFieldNamingARefusedClassFailsBeforeItIsInstantiated() {
        Derived d = new Derived();
        d.anything = new Refused.Hostile();
        KryoFactory strict = new KryoFactory(new TypeAllowlist(Set.of(Derived.class.getName(), Inner.class.getName()),
                Set.of()), LOADER, 512);
        byte[] body = write(new KryoFactory(new TypeAllowlist(Set.of(), Set.of("io.courier.rpc.serialization.kryo.**")),
                LOADER, 512), d, Derived.class);
        Refused.instances = 0;

        assertThatThrownBy(() -> read(strict, body, Derived.class))
                .hasRootCauseInstanceOf(SerializationException.class)
                .hasStackTraceContaining(Refused.Hostile.class.getName() + " is not allowed");
        assertThat(Refused.instances).isZero();
    }

    @Test
    void recordPrimitivesCountTowardsTheDepthLimitAsInKryo() {
        // A record of primitives, declared, sits one level below the limit: its components do not fit.
        KryoFactory reflective = new KryoFactory(ALLOWLIST, LOADER, 1, false);
        KryoFactory compiled = new KryoFactory(ALLOWLIST, LOADER, 1, true);
        Primitives value = new Primitives(1, 2, true, 3, 4, (short) 5, (byte) 6, 'c');

        assertThatThrownBy(() -> write(reflective, value, Primitives.class)).hasMessageContaining("Max depth exceeded");
        assertThatThrownBy(() -> write(compiled, value, Primitives.class)).hasMessageContaining("Max depth exceeded");
    }

    /** A class outside the allowlist of the strict reader, counting its instances. */
    static final class Refused {
        static int instances;

        static final class Hostile {
            Hostile() {
                instances++;
            }
        }
    }

    private static byte[] write(KryoFactory factory, Object value, Type declared) {
        KryoContext context = factory.create();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean failed = true;
        try {
            context.output.begin(out);
            ValueCodec.write(context.kryo, context.output, value, declared);
            context.output.finish();
            failed = false;
        } finally {
            context.reset(failed);
        }
        return out.toByteArray();
    }

    private static Object read(KryoFactory factory, byte[] body, Type declared) {
        KryoContext context = factory.create();
        boolean failed = true;
        try {
            context.input.load(new ByteArrayInputStream(body));
            Object value = ValueCodec.read(context.kryo, context.input, declared, -1);
            assertThat(context.input.remaining()).isZero();
            failed = false;
            return value;
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            context.reset(failed);
        }
    }
}
