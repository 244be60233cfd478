package io.courier.rpc.serialization;

import io.courier.rpc.RpcException;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.fixtures.Address;
import io.courier.rpc.serialization.fixtures.Money;
import io.courier.rpc.serialization.fixtures.Page;
import io.courier.rpc.serialization.fixtures.Query;
import io.courier.rpc.serialization.fixtures.Role;
import io.courier.rpc.serialization.fixtures.TypeRef;
import io.courier.rpc.serialization.fixtures.User;
import io.courier.rpc.serialization.fixtures.UserNotFoundException;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.courier.rpc.serialization.kryo.KryoSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Round trips every serializer must support. Each test writes with one instance and reads with
 * another, as a provider and a consumer started independently would.
 */
class SerializerRoundTripTest {

    /** One serializer format: a factory, so that writer and reader are distinct instances. */
    record Format(String name) {

        Serializer create() {
            return switch (name) {
                case "kryo" -> KryoSerializer.builder().allowPackages("io.courier.rpc.serialization.fixtures.*").build();
                case "json" -> new JsonSerializer();
                default -> throw new IllegalArgumentException(name);
            };
        }

        boolean isKryo() {
            return name.equals("kryo");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Format> formats() {
        return Stream.of(new Format("kryo"), new Format("json"));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void identifiesItself(Format format) {
        Serializer serializer = format.create();
        assertThat(serializer.name()).isEqualTo(format.name());
        assertThat(serializer.id()).isEqualTo(format.isKryo() ? (byte) 1 : (byte) 2);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void primitivesAndBoxesAsArguments(Format format) {
        Type[] types = {int.class, long.class, boolean.class, double.class, float.class, short.class, byte.class,
                char.class, Integer.class, Long.class, Boolean.class, Double.class, Character.class, Object.class};
        Object[] arguments = {42, Long.MIN_VALUE, true, 3.25d, 1.5f, (short) -7, (byte) 0x7f, 'é', -1, 9_000_000_000L,
                Boolean.FALSE, Double.NaN, 'x', 12};

        Object[] read = roundTripArguments(format, arguments, types);

        assertThat(read).containsExactly(arguments);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void nullsAndNoArguments(Format format) {
        assertThat(roundTripArguments(format, new Object[] {null, null, "x"},
                new Type[] {String.class, Object.class, String.class})).containsExactly(null, null, "x");
        assertThat(roundTripArguments(format, new Object[0], new Type[0])).isEmpty();
        assertThat(roundTripArguments(format, null, new Type[0])).isEmpty();
        assertThat(roundTrip(format, null, User.class)).isNull();
        assertThat(roundTrip(format, null, void.class)).isNull();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void strings(Format format) {
        assertThat(roundTrip(format, "", String.class)).isEqualTo("");
        assertThat(roundTrip(format, "plain ascii", String.class)).isEqualTo("plain ascii");
        String unicode = "héllo wörld — 日本語 🚀 \u0000 \n\t\"quoted\"";
        assertThat(roundTrip(format, unicode, String.class)).isEqualTo(unicode);
        assertThat(roundTrip(format, unicode, Object.class)).isEqualTo(unicode);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void collections(Format format) {
        Type listOfStrings = new TypeRef<List<String>>() { }.type();
        Type setOfIntegers = new TypeRef<Set<Integer>>() { }.type();
        Type mapOfStringToInteger = new TypeRef<Map<String, Integer>>() { }.type();

        for (List<String> list : List.<List<String>>of(new ArrayList<>(List.of("a", "b")), List.of(), List.of("x"), List.of("a", "b", "c"),
                Arrays.asList("p", "q"), Collections.unmodifiableList(new ArrayList<>(List.of("u"))),
                Collections.<String>emptyList(), Collections.singletonList("s"), List.of("a", "b", "c").subList(1, 3),
                new ArrayList<>(List.of("a", "b", "c")).subList(0, 2))) {
            assertThat(roundTrip(format, list, listOfStrings)).as(list.getClass().getName()).isEqualTo(list);
        }
        for (Set<Integer> set : List.<Set<Integer>>of(Set.of(), Set.of(1), Set.of(1, 2, 3, 4), Collections.<Integer>emptySet(),
                Collections.singleton(7), Collections.unmodifiableSet(new java.util.HashSet<>(Set.of(5, 6))))) {
            assertThat(roundTrip(format, set, setOfIntegers)).as(set.getClass().getName()).isEqualTo(set);
        }
        Map<String, Integer> linked = new LinkedHashMap<>();
        linked.put("z", 1);
        linked.put("a", 2);
        for (Map<String, Integer> map : List.<Map<String, Integer>>of(Map.of(), Map.of("k", 1), Map.of("a", 1, "b", 2, "c", 3), linked,
                new TreeMap<>(Map.of("b", 2, "a", 1)), Collections.<String, Integer>emptyMap(),
                Collections.singletonMap("one", 1), Collections.unmodifiableMap(linked))) {
            assertThat(roundTrip(format, map, mapOfStringToInteger)).as(map.getClass().getName()).isEqualTo(map);
        }
        assertThat(roundTrip(format, linked, mapOfStringToInteger)).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsExactly(
                        Map.entry("z", 1), Map.entry("a", 2));

        TreeMap<String, Integer> sorted = new TreeMap<>(Map.of("b", 2, "a", 1, "c", 3));
        Object readSorted = roundTrip(format, sorted, new TypeRef<TreeMap<String, Integer>>() { }.type());
        assertThat(readSorted).isInstanceOf(TreeMap.class).isEqualTo(sorted);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void recordsEnumsAndBeans(Format format) {
        User user = User.sample(7);
        assertThat(roundTrip(format, user, User.class)).isEqualTo(user);
        assertThat(roundTrip(format, new Address(null, "8000"), Address.class)).isEqualTo(new Address(null, "8000"));
        for (Role role : Role.values()) {
            assertThat(roundTrip(format, role, Role.class)).isSameAs(role);
        }
        Money money = new Money("CHF", new BigDecimal("12.50"));
        assertThat(roundTrip(format, money, Money.class)).isEqualTo(money);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void nestedGenerics(Format format) {
        Map<String, List<User>> byTeam = new LinkedHashMap<>();
        byTeam.put("core", List.of(User.sample(1), User.sample(2)));
        byTeam.put("empty", List.of());
        Type type = new TypeRef<Map<String, List<User>>>() { }.type();
        assertThat(roundTrip(format, byTeam, type)).isEqualTo(byTeam);

        Page<User> page = new Page<>(List.of(User.sample(3)), 10);
        assertThat(roundTrip(format, page, new TypeRef<Page<User>>() { }.type())).isEqualTo(page);
        assertThat(roundTrip(format, page, new TypeRef<CompletableFuture<Page<User>>>() { }.type())).isEqualTo(page);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void optionals(Format format) {
        Type type = new TypeRef<Optional<User>>() { }.type();
        assertThat(roundTrip(format, Optional.of(User.sample(4)), type)).isEqualTo(Optional.of(User.sample(4)));
        assertThat(roundTrip(format, Optional.empty(), type)).isEqualTo(Optional.empty());
    }

    @ParameterizedTest
    @MethodSource("formats")
    void timeAndNumbers(Format format) {
        Object[] values = {LocalDate.of(2024, 2, 29), Instant.parse("2024-05-01T10:15:30.123456789Z"),
                Duration.ofMillis(90_061_001), LocalDateTime.of(2024, 12, 31, 23, 59, 59, 999_000_000),
                new BigDecimal("-12345678901234567890.123456789"), new BigDecimal("0.10"),
                new BigInteger("123456789012345678901234567890"), UUID.fromString("123e4567-e89b-12d3-a456-426614174000")};
        Type[] types = Arrays.stream(values).map(Object::getClass).toArray(Type[]::new);

        assertThat(roundTripArguments(format, values, types)).containsExactly(values);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void arrays(Format format) {
        int[] ints = {1, -2, Integer.MAX_VALUE};
        assertThat((int[]) roundTrip(format, ints, int[].class)).containsExactly(ints);
        String[] strings = {"a", null, "ü"};
        assertThat((String[]) roundTrip(format, strings, String[].class)).containsExactly(strings);
        User[] users = {User.sample(1), null, User.sample(2)};
        assertThat((User[]) roundTrip(format, users, User[].class)).containsExactly(users);
        byte[] bytes = {0, 1, -1, 127};
        assertThat((byte[]) roundTrip(format, bytes, byte[].class)).containsExactly(bytes);
        long[] longs = {Long.MAX_VALUE, 0, -1};
        assertThat((long[]) roundTrip(format, longs, long[].class)).containsExactly(longs);
        boolean[] booleans = {true, false, true};
        assertThat((boolean[]) roundTrip(format, booleans, boolean[].class)).containsExactly(booleans);
        double[] doubles = {0.5, -1e300};
        assertThat((double[]) roundTrip(format, doubles, double[].class)).containsExactly(doubles);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void jdkExceptions(Format format) {
        for (Throwable exception : List.of(new IllegalArgumentException("bad argument"), new IllegalStateException("bad state"),
                new UnsupportedOperationException("nope"), new NullPointerException("npe"), new RuntimeException("rt"),
                new IOException("disk"), new TimeoutException("slow"), new java.util.NoSuchElementException("none"))) {
            Throwable read = roundTripException(format, exception);
            assertThat(read).isExactlyInstanceOf(exception.getClass()).hasMessage(exception.getMessage());
            assertThat(read.getStackTrace()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void exceptionWithCause(Format format) {
        Throwable read = roundTripException(format,
                new IllegalStateException("outer", new IllegalArgumentException("inner")));

        assertThat(read).isExactlyInstanceOf(IllegalStateException.class).hasMessage("outer");
        assertThat(read.getCause()).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("inner");
    }

    @ParameterizedTest
    @MethodSource("formats")
    void customException(Format format) {
        Throwable read = roundTripException(format, new UserNotFoundException(42));

        assertThat(read).isExactlyInstanceOf(UserNotFoundException.class).hasMessage("User 42 not found");
        if (format.isKryo()) {
            assertThat(((UserNotFoundException) read).userId()).isEqualTo(42);
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void rpcException(Format format) {
        RpcException sent = new RpcException(RpcErrorCode.SERVER_BUSY, "too busy", null, "com.acme.Remote");

        Throwable read = roundTripException(format, sent);

        assertThat(read).isExactlyInstanceOf(RpcException.class).hasMessage("too busy");
        assertThat(((RpcException) read).code()).isEqualTo(RpcErrorCode.SERVER_BUSY);
        assertThat(((RpcException) read).remoteClassName()).isEqualTo("com.acme.Remote");

        Throwable serialization = roundTripException(format, new SerializationException("broken"));
        assertThat(serialization).isExactlyInstanceOf(SerializationException.class).hasMessage("broken");
        assertThat(((RpcException) serialization).code()).isEqualTo(RpcErrorCode.SERIALIZATION);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void largePayloads(Format format) {
        byte[] blob = new byte[2 * 1024 * 1024];
        new Random(1).nextBytes(blob);
        assertThat((byte[]) roundTrip(format, blob, byte[].class)).isEqualTo(blob);

        List<User> users = IntStream.range(0, 10_000).mapToObj(User::sample).toList();
        assertThat(roundTrip(format, users, new TypeRef<List<User>>() { }.type())).isEqualTo(users);
        assertThat(roundTripArguments(format, new Object[] {new Query("all", 10_000), users, blob},
                new Type[] {Query.class, new TypeRef<List<User>>() { }.type(), byte[].class}))
                .satisfies(read -> {
                    assertThat(read[0]).isEqualTo(new Query("all", 10_000));
                    assertThat(read[1]).isEqualTo(users);
                    assertThat((byte[]) read[2]).isEqualTo(blob);
                });
    }

    @ParameterizedTest
    @MethodSource("formats")
    void argumentCountMismatch(Format format) {
        Serializer serializer = format.create();
        assertThatThrownBy(() -> serializer.writeArguments(new Object[] {1}, new Type[] {int.class, int.class},
                new ByteArrayOutputStream()))
                .isInstanceOf(SerializationException.class);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.writeArguments(new Object[] {1, 2}, new Type[] {int.class, int.class}, out);
        assertThatThrownBy(() -> format.create().readArguments(new Type[] {int.class, int.class, int.class},
                new ByteArrayInputStream(out.toByteArray())))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("arguments");
        assertThatThrownBy(() -> format.create().readArguments(new Type[] {int.class},
                new ByteArrayInputStream(out.toByteArray())))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("arguments");
    }

    @ParameterizedTest
    @MethodSource("formats")
    void wrongTypesAndNullPrimitivesAreRefused(Format format) {
        assertThatThrownBy(() -> roundTrip(format, "text", Object.class, int.class))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> roundTrip(format, User.sample(1), Object.class, Integer.class))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> roundTrip(format, null, Integer.class, int.class))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("null");
    }

    @ParameterizedTest
    @MethodSource("formats")
    void garbageIsRefused(Format format) {
        Serializer serializer = format.create();
        byte[] garbage = {(byte) 0xff, 0x13, 0x00, 0x7f, (byte) 0x80};
        assertThatThrownBy(() -> serializer.readValue(User.class, new ByteArrayInputStream(garbage)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serializer.readArguments(new Type[] {User.class}, new ByteArrayInputStream(garbage)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serializer.readException(new ByteArrayInputStream(garbage)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serializer.readValue(User.class, new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(SerializationException.class);

        assertThat(roundTrip(format, User.sample(1), User.class)).isEqualTo(User.sample(1));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void trailingBytesAreRefused(Format format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.create().writeValue("x", String.class, out);
        out.write(format.isKryo() ? 0 : ' ');
        out.write(format.isKryo() ? 0 : '1');

        assertThatThrownBy(() -> format.create().readValue(String.class, new ByteArrayInputStream(out.toByteArray())))
                .isInstanceOf(SerializationException.class);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void neverClosesTheCallersStreams(Format format) {
        Serializer serializer = format.create();
        ClosingTrackingOutputStream out = new ClosingTrackingOutputStream();
        serializer.writeValue(User.sample(1), User.class, out);
        serializer.writeArguments(new Object[] {1}, new Type[] {int.class}, out);
        serializer.writeException(new IllegalStateException("x"), out);
        assertThat(out.closed).isFalse();

        ClosingTrackingInputStream in = new ClosingTrackingInputStream(toBytes(format, User.sample(1), User.class));
        serializer.readValue(User.class, in);
        assertThat(in.closed).isFalse();
    }

    private static byte[] toBytes(Format format, Object value, Type type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.create().writeValue(value, type, out);
        return out.toByteArray();
    }

    static Object roundTrip(Format format, Object value, Type type) {
        return roundTrip(format, value, type, type);
    }

    private static Object roundTrip(Format format, Object value, Type writtenAs, Type readAs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.create().writeValue(value, writtenAs, out);
        return format.create().readValue(readAs, new ByteArrayInputStream(out.toByteArray()));
    }

    private static Object[] roundTripArguments(Format format, Object[] arguments, Type[] types) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.create().writeArguments(arguments, types, out);
        return format.create().readArguments(types, new ByteArrayInputStream(out.toByteArray()));
    }

    private static Throwable roundTripException(Format format, Throwable exception) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.create().writeException(exception, out);
        return format.create().readException(new ByteArrayInputStream(out.toByteArray()));
    }

    private static final class ClosingTrackingOutputStream extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class ClosingTrackingInputStream extends ByteArrayInputStream {
        boolean closed;

        ClosingTrackingInputStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
