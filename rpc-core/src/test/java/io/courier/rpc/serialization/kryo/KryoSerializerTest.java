package io.courier.rpc.serialization.kryo;

import io.courier.rpc.RpcException;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.SerializationException;
import io.courier.rpc.serialization.fixtures.NoMessageException;
import io.courier.rpc.serialization.fixtures.QuotaExceededException;
import io.courier.rpc.serialization.fixtures.Role;
import io.courier.rpc.serialization.fixtures.TypeRef;
import io.courier.rpc.serialization.fixtures.User;
import io.courier.rpc.serialization.fixtures.UserNotFoundException;
import io.courier.rpc.serialization.fixtures.hostile.GadgetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.courier.rpc.serialization.kryo.KryoTestSupport.fixtures;
import static io.courier.rpc.serialization.kryo.KryoTestSupport.readException;
import static io.courier.rpc.serialization.kryo.KryoTestSupport.roundTrip;
import static io.courier.rpc.serialization.kryo.KryoTestSupport.write;
import static io.courier.rpc.serialization.kryo.KryoTestSupport.writeException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KryoSerializerTest {

    private final KryoSerializer writer = fixtures();
    private final KryoSerializer reader = fixtures();

    @Test
    void jdkCollectionsKeepTheirClassAndImmutability() {
        List<Object> values = List.of(List.of(), List.of(1), List.of(1, 2, 3), List.of(1, 2, 3).subList(0, 2), Set.of(),
                Set.of(1), Set.of(1, 2, 3), Map.of(), Map.of(1, "a"), Map.of(1, "a", 2, "b"),
                Collections.emptyList(), Collections.emptySet(), Collections.emptyMap(), Collections.singletonList(1),
                Collections.singleton(1), Collections.singletonMap(1, 2), Arrays.asList(1, 2),
                Collections.unmodifiableList(new ArrayList<>(List.of(1))),
                Collections.unmodifiableList(new LinkedList<>(List.of(1))),
                Collections.unmodifiableCollection(new ArrayList<>(List.of(1))),
                Collections.unmodifiableSet(new LinkedHashSet<>(List.of(3, 1, 2))),
                Collections.unmodifiableSortedSet(new TreeSet<>(List.of(3, 1))),
                Collections.unmodifiableNavigableSet(new TreeSet<>(List.of(3, 1))),
                Collections.unmodifiableMap(new TreeMap<>(Map.of(1, 1))),
                Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(1, 1))),
                Collections.unmodifiableNavigableMap(new TreeMap<>(Map.of(1, 1))),
                new ArrayDeque<>(List.of(1, 2)), new LinkedList<>(List.of(1)), new TreeSet<>(List.of(2, 1)),
                EnumSet.of(Role.USER, Role.GUEST), EnumSet.noneOf(Role.class));

        for (Object value : values) {
            Object read = roundTrip(writer, reader, value, Object.class);
            if (!value.getClass().getSimpleName().equals("SubList")) {
                // A sublist is a view: it reads back as the list class of its contents.
                assertThat(read.getClass()).as(value.getClass().getName()).isEqualTo(value.getClass());
            }
            if (value instanceof List || value instanceof Set || value instanceof Map) {
                assertThat(read).as(value.getClass().getName()).isEqualTo(value);
            } else {
                // ArrayDeque and unmodifiableCollection compare by identity.
                assertThat(List.copyOf((Collection<?>) read)).isEqualTo(List.copyOf((Collection<?>) value));
            }
        }
        @SuppressWarnings("unchecked")
        List<Object> immutable = (List<Object>) roundTrip(writer, reader, List.of(1, 2, 3), Object.class);
        assertThatThrownBy(() -> immutable.add(4)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shortLivedThreadsBorrowContextsInsteadOfKeepingThem() throws Exception {
        KryoSerializer serializer = KryoSerializer.builder().poolCapacity(4).build();
        // A thread per call, as virtual threads do: each used to take a context for good.
        for (int i = 0; i < 200; i++) {
            Thread t = new Thread(() -> assertThat(roundTrip(serializer, serializer, List.of("x"), List.class))
                    .isEqualTo(List.of("x")));
            t.start();
            t.join(10_000);
        }
        assertThat(serializer.contextsCreated()).isLessThanOrEqualTo(2);
        // Netty's and Courier's own long-lived threads keep one each.
        Thread loop = new io.netty.util.concurrent.FastThreadLocalThread(() -> {
            for (int i = 0; i < 100; i++) {
                roundTrip(serializer, serializer, List.of("y"), List.class);
            }
        });
        loop.start();
        loop.join(10_000);
        assertThat(serializer.contextsCreated()).isLessThanOrEqualTo(3);
    }

    @Test
    void streamToListKeepsItsNulls() {
        List<String> withNull = Stream.of("a", null, "b").toList();

        Object read = roundTrip(writer, reader, withNull, Object.class);

        assertThat(read).isEqualTo(Arrays.asList("a", null, "b"));
        assertThatThrownBy(() -> ((List<?>) read).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void enumMaps() {
        EnumMap<Role, String> map = new EnumMap<>(Role.class);
        map.put(Role.GUEST, "g");
        map.put(Role.USER, null);

        assertThat(roundTrip(writer, reader, map, Object.class)).isInstanceOf(EnumMap.class).isEqualTo(map);
        // An empty EnumMap hides its key type from public API; without --add-opens it is refused on write.
        assertThatThrownBy(() -> write(writer, new EnumMap<>(Role.class), Object.class))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("empty EnumMap");
    }

    @Test
    void declaredTypesAreNotRepeatedOnTheWire() {
        User user = User.sample(1);
        int declared = write(writer, user, User.class).length;
        int named = write(writer, user, Object.class).length;

        assertThat(named - declared).isGreaterThanOrEqualTo(User.class.getName().length());
    }

    @Test
    void customExceptionsKeepMessageFieldsAndCause() {
        QuotaExceededException sent = new QuotaExceededException("Quota of 10 exceeded", 10, List.of("cpu", "disk"));
        sent.initCause(new UserNotFoundException(7));

        Throwable read = readException(reader, writeException(writer, sent));

        assertThat(read).isExactlyInstanceOf(QuotaExceededException.class).hasMessage("Quota of 10 exceeded");
        QuotaExceededException quota = (QuotaExceededException) read;
        assertThat(quota.limit()).isEqualTo(10);
        assertThat(quota.resources()).containsExactly("cpu", "disk");
        assertThat(quota.reason()).isEqualTo("QUOTA");
        assertThat(quota.getStackTrace()).isEmpty();
        assertThat(quota.getCause()).isExactlyInstanceOf(UserNotFoundException.class).hasMessage("User 7 not found");
        assertThat(((UserNotFoundException) quota.getCause()).userId()).isEqualTo(7);
    }

    @Test
    void exceptionsWithoutAMessageConstructorKeepTheirFieldsAndStayUsable() {
        Throwable read = readException(reader, writeException(writer, new NoMessageException(404)));

        assertThat(read).isExactlyInstanceOf(NoMessageException.class);
        assertThat(((NoMessageException) read).errorCode()).isEqualTo(404);
        assertThat(read.getStackTrace()).isEmpty();
        assertThat(read.getCause()).isNull();
        read.fillInStackTrace();
        read.printStackTrace(new PrintWriter(new StringWriter()));
        assertThat(read.getStackTrace()).isNotNull();
    }

    @Test
    void reCreatedExceptionsAcceptAFreshStackTrace() {
        Throwable read = readException(reader, writeException(writer, new UserNotFoundException(3)));

        read.fillInStackTrace();

        assertThat(read.getStackTrace()).isNotEmpty();
    }

    @Test
    void stackTracesAreNeverWritten() {
        IllegalStateException exception = new IllegalStateException("x");
        byte[] body = writeException(writer, exception);

        assertThat(new String(body, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("KryoSerializerTest")
                .doesNotContain("stackTraceElement");
    }

    @Test
    void aRefusedExceptionClassIsReportedByName() {
        byte[] body = writeException(writer, new GadgetException("boom"));

        assertThatThrownBy(() -> readException(reader, body))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Class " + GadgetException.class.getName()
                        + " is not allowed by the Kryo allowlist; allow it with allowClasses/allowPackages");
        assertThat(readException(reader, writeException(writer, new IllegalStateException("ok"))))
                .hasMessage("ok");
    }

    @Test
    void aRefusedCauseBecomesAnRpcExceptionNamingIt() {
        IllegalStateException sent = new IllegalStateException("outer", new GadgetException("inner"));

        Throwable read = readException(reader, writeException(writer, sent));

        assertThat(read).isExactlyInstanceOf(IllegalStateException.class).hasMessage("outer");
        assertThat(read.getCause()).isExactlyInstanceOf(RpcException.class).hasMessage("inner");
        RpcException cause = (RpcException) read.getCause();
        assertThat(cause.code()).isEqualTo(RpcErrorCode.APPLICATION_ERROR);
        assertThat(cause.remoteClassName()).isEqualTo(GadgetException.class.getName());
    }

    @Test
    void aValueThatIsNotAnExceptionIsRefusedAsOne() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        com.esotericsoftware.kryo.io.Output output = new com.esotericsoftware.kryo.io.Output(out);
        output.writeString(String.class.getName());
        output.flush();

        assertThatThrownBy(() -> reader.readException(new ByteArrayInputStream(out.toByteArray())))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Class java.lang.String named as an exception is not a Throwable");
    }

    @Test
    void causeChainsAreCutAtSixteen() {
        Throwable chain = new IllegalStateException("0");
        for (int i = 1; i < 40; i++) {
            chain = new IllegalStateException(Integer.toString(i), chain);
        }
        IllegalStateException a = new IllegalStateException("a");
        IllegalStateException b = new IllegalStateException("b", a);
        a.initCause(b);

        int depth = 0;
        for (Throwable t = readException(reader, writeException(writer, chain)); t != null; t = t.getCause()) {
            depth++;
        }
        assertThat(depth).isEqualTo(ThrowableSerializer.MAX_CAUSE_DEPTH + 1);
        assertThat(readException(reader, writeException(writer, a))).hasMessage("a");
    }

    @Test
    void exceptionsNestedInValuesRoundTrip() {
        List<Object> value = List.of("x", new UserNotFoundException(5));

        List<?> read = (List<?>) roundTrip(writer, reader, value, Object.class);

        assertThat((Throwable) read.get(1)).isExactlyInstanceOf(UserNotFoundException.class).hasMessage("User 5 not found");
    }

    @Test
    void sharedAcrossThreads() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        List<User> users = IntStream.range(0, i % 20).mapToObj(n -> User.sample(thread * 1000L + n)).toList();
                        Type type = new TypeRef<List<User>>() { }.type();
                        assertThat(roundTrip(writer, reader, users, type)).isEqualTo(users);
                        if (i % 50 == 0) {
                            assertThatThrownBy(() -> reader.readValue(Object.class,
                                    new ByteArrayInputStream(new byte[] {2, 1, 0, (byte) 0x80})))
                                    .isInstanceOf(SerializationException.class);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
