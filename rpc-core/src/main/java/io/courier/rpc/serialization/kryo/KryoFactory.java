package io.courier.rpc.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsEmptyListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsEmptyMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsEmptySetSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsSingletonListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsSingletonMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.CollectionsSingletonSetSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.EnumSetSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.URISerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.KryoSerializableSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.UUIDSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.RecordSerializer;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import io.courier.rpc.RpcErrorCode;
import org.objenesis.strategy.StdInstantiatorStrategy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Creates Kryo instances configured for Courier: classes by name through the allowlist, bounded
 * readers for every length-prefixed type, JDK collections that work without
 * {@code --add-opens}, and a nesting limit.
 *
 * <p>Thread-safe: {@link #create()} may be called from any thread (the pool calls it on a miss).
 *
 * <p>Records are written by {@link CompiledRecordSerializer}, which produces the bytes of Kryo's
 * own {@code RecordSerializer} through accessors compiled once per class instead of a reflective
 * call per component (about a quarter faster for a page of records); a record it cannot mirror
 * exactly keeps Kryo's serializer. Plain classes keep Kryo's {@code FieldSerializer}: its
 * {@code Unsafe} field access measured faster than compiled accessors.
 *
 * <p>The built-in types below travel as numeric ids, assigned in registration order starting at
 * {@value #FIRST_ID}. The order is part of the wire format: only append to it.
 */
final class KryoFactory {

    static final int FIRST_ID = 16;

    private final TypeAllowlist allowlist;
    private final ClassLoader classLoader;
    private final int maxDepth;
    private final boolean compiled;
    private final ClassValue<FieldAccessors> recordAccessors = new ClassValue<>() {
        @Override
        protected FieldAccessors computeValue(Class<?> type) {
            return FieldAccessors.ofRecord(type);
        }
    };
    private final ClassValue<ThrowableLayout> throwableLayouts = new ClassValue<>() {
        @Override
        protected ThrowableLayout computeValue(Class<?> type) {
            return ThrowableLayout.of(type.asSubclass(Throwable.class));
        }
    };

    KryoFactory(TypeAllowlist allowlist, ClassLoader classLoader, int maxDepth) {
        this(allowlist, classLoader, maxDepth, true);
    }

    /**
     * @param compiled whether records and plain classes use the compiled serializers (the default)
     *     rather than Kryo's reflective ones; both write the same bytes, and tests compare them
     */
    KryoFactory(TypeAllowlist allowlist, ClassLoader classLoader, int maxDepth, boolean compiled) {
        this.allowlist = allowlist;
        this.classLoader = classLoader;
        this.maxDepth = maxDepth;
        this.compiled = compiled;
    }

    KryoContext create() {
        Kryo kryo = new Kryo(new AllowlistClassResolver(allowlist, classLoader), null);
        kryo.setRegistrationRequired(false);
        kryo.setReferences(false);
        // One reset per body, not per value, so class names are written once per body.
        kryo.setAutoReset(false);
        kryo.setMaxDepth(maxDepth);
        kryo.setClassLoader(classLoader);
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        ThrowableSerializer throwables = new ThrowableSerializer(throwableLayouts);
        addDefaultSerializers(kryo, throwables);
        if (compiled) {
            addCompiledSerializers(kryo);
        }
        new Registrar(kryo).registerBuiltIns();
        return new KryoContext(kryo, throwables);
    }

    /** Serializers chosen by supertype for classes that are not registered, such as user subclasses. */
    @SuppressWarnings("rawtypes")
    private static void addDefaultSerializers(Kryo kryo, ThrowableSerializer throwables) {
        kryo.addDefaultSerializer(Throwable.class, throwables);
        kryo.addDefaultSerializer(Collection.class, new SerializerFactory.BaseSerializerFactory<BoundedCollectionSerializer>() {
            @Override
            public BoundedCollectionSerializer newSerializer(Kryo k, Class type) {
                return BoundedCollectionSerializer.instantiating();
            }
        });
        kryo.addDefaultSerializer(Map.class, new SerializerFactory.BaseSerializerFactory<BoundedMapSerializer>() {
            @Override
            public BoundedMapSerializer newSerializer(Kryo k, Class type) {
                return BoundedMapSerializer.instantiating();
            }
        });
        kryo.addDefaultSerializer(Object[].class, new SerializerFactory.BaseSerializerFactory<BoundedArraySerializers.ObjectArray>() {
            @Override
            public BoundedArraySerializers.ObjectArray newSerializer(Kryo k, Class type) {
                return new BoundedArraySerializers.ObjectArray(k, type);
            }
        });
    }

    /**
     * Replaces Kryo's record serializer. Added after the supertype defaults above, so
     * collections, maps and exceptions keep theirs.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private void addCompiledSerializers(Kryo kryo) {
        kryo.addDefaultSerializer(Record.class, new SerializerFactory.BaseSerializerFactory<Serializer>() {
            @Override
            public Serializer newSerializer(Kryo k, Class type) {
                if (KryoSerializable.class.isAssignableFrom(type)) {
                    // Kryo checks KryoSerializable before Record among its own defaults.
                    return new KryoSerializableSerializer();
                }
                FieldAccessors accessors = recordAccessors.get(type);
                return accessors != null ? new CompiledRecordSerializer<>(k, accessors, maxDepth) : new RecordSerializer<>(type);
            }
        });
    }

    /** Assigns ids in a fixed order. */
    private static final class Registrar {

        private final Kryo kryo;
        private int nextId = FIRST_ID;

        Registrar(Kryo kryo) {
            this.kryo = kryo;
        }

        @SuppressWarnings("unchecked")
        void registerBuiltIns() {
            // Arrays. Primitive ones check their lengths in BoundedInput's bulk reads.
            add(byte[].class);
            add(char[].class);
            add(short[].class);
            add(int[].class);
            add(long[].class);
            add(float[].class);
            add(double[].class);
            add(boolean[].class, new BoundedArraySerializers.BooleanArray());
            add(String[].class, new BoundedArraySerializers.StringArray());
            add(Object[].class, new BoundedArraySerializers.ObjectArray(kryo, Object[].class));

            // Values.
            add(BigDecimal.class);
            add(BigInteger.class);
            add(Date.class);
            add(UUID.class, new UUIDSerializer());
            add(URI.class, new URISerializer());
            add(Optional.class);
            add(OptionalInt.class);
            add(OptionalLong.class);
            add(OptionalDouble.class);
            add(Duration.class);
            add(Instant.class);
            add(LocalDate.class);
            add(LocalTime.class);
            add(LocalDateTime.class);
            add(ZonedDateTime.class);
            add(OffsetDateTime.class);
            add(OffsetTime.class);
            add(ZoneOffset.class);
            add(ZoneId.of("Europe/Paris").getClass());
            add(Year.class);
            add(YearMonth.class);
            add(MonthDay.class);
            add(Period.class);
            add(RpcErrorCode.class);

            // Mutable collections.
            add(ArrayList.class, BoundedCollectionSerializer.instantiating());
            add(LinkedList.class, BoundedCollectionSerializer.instantiating());
            add(ArrayDeque.class, BoundedCollectionSerializer.instantiating());
            add(HashSet.class, BoundedCollectionSerializer.instantiating());
            add(LinkedHashSet.class, BoundedCollectionSerializer.instantiating());
            add(TreeSet.class, BoundedCollectionSerializer.sorted(TreeSet::new, c -> c));
            add(HashMap.class, BoundedMapSerializer.instantiating());
            add(LinkedHashMap.class, BoundedMapSerializer.instantiating());
            add(TreeMap.class, BoundedMapSerializer.sorted(TreeMap::new, m -> m));
            add(EnumSet.class, new EnumSetSerializer());
            add(EnumMap.class, new EnumMapSerializer());

            // JDK collections without accessible constructors: read into a buffer, then copied.
            List<Integer> three = List.of(1, 2, 3);
            Serializer<?> immutableList = BoundedCollectionSerializer.copying(ArrayList::new, KryoFactory::immutableList);
            add(List.of().getClass(), immutableList);
            add(List.of(1).getClass(), immutableList);
            add(three.subList(0, 1).getClass(), immutableList);
            Serializer<?> immutableSet = BoundedCollectionSerializer.copying(HashSet::new, Set::copyOf);
            add(Set.of().getClass(), immutableSet);
            add(Set.of(1).getClass(), immutableSet);
            Serializer<?> immutableMap = BoundedMapSerializer.copying(HashMap::new, Map::copyOf);
            add(Map.of().getClass(), immutableMap);
            add(Map.of(1, 1).getClass(), immutableMap);
            add(Collections.emptyList().getClass(), new CollectionsEmptyListSerializer());
            add(Collections.emptySet().getClass(), new CollectionsEmptySetSerializer());
            add(Collections.emptyMap().getClass(), new CollectionsEmptyMapSerializer());
            add(Collections.singletonList(1).getClass(), new CollectionsSingletonListSerializer());
            add(Collections.singleton(1).getClass(), new CollectionsSingletonSetSerializer());
            add(Collections.singletonMap(1, 1).getClass(), new CollectionsSingletonMapSerializer());
            add(Arrays.asList(1).getClass(),
                    BoundedCollectionSerializer.copying(ArrayList::new, c -> Arrays.asList(c.toArray())));
            add(new ArrayList<>(three).subList(0, 1).getClass(),
                    BoundedCollectionSerializer.copying(ArrayList::new, c -> c));
            add(Collections.unmodifiableCollection(new ArrayList<>()).getClass(),
                    BoundedCollectionSerializer.copying(ArrayList::new, Collections::unmodifiableCollection));
            add(Collections.unmodifiableList(new ArrayList<>()).getClass(),
                    BoundedCollectionSerializer.copying(ArrayList::new, c -> Collections.unmodifiableList((List<Object>) c)));
            add(Collections.unmodifiableList(new LinkedList<>()).getClass(),
                    BoundedCollectionSerializer.copying(size -> new LinkedList<>(),
                            c -> Collections.unmodifiableList((List<Object>) c)));
            add(Collections.unmodifiableSet(new HashSet<>()).getClass(),
                    BoundedCollectionSerializer.copying(LinkedHashSet::new, c -> Collections.unmodifiableSet((Set<Object>) c)));
            add(Collections.unmodifiableSortedSet(new TreeSet<>()).getClass(),
                    BoundedCollectionSerializer.sorted(TreeSet::new,
                            c -> Collections.unmodifiableSortedSet((SortedSet<Object>) c)));
            add(Collections.unmodifiableNavigableSet(new TreeSet<>()).getClass(),
                    BoundedCollectionSerializer.sorted(TreeSet::new,
                            c -> Collections.unmodifiableNavigableSet((NavigableSet<Object>) c)));
            add(Collections.unmodifiableMap(new HashMap<>()).getClass(),
                    BoundedMapSerializer.copying(LinkedHashMap::new, Collections::unmodifiableMap));
            add(Collections.unmodifiableSortedMap(new TreeMap<>()).getClass(),
                    BoundedMapSerializer.sorted(TreeMap::new, m -> Collections.unmodifiableSortedMap((SortedMap<Object, Object>) m)));
            add(Collections.unmodifiableNavigableMap(new TreeMap<>()).getClass(),
                    BoundedMapSerializer.sorted(TreeMap::new,
                            m -> Collections.unmodifiableNavigableMap((NavigableMap<Object, Object>) m)));
        }

        private void add(Class<?> type) {
            kryo.register(type, nextId++);
        }

        private void add(Class<?> type, Serializer<?> serializer) {
            kryo.register(type, serializer, nextId++);
        }
    }

    /** {@code List.of} refuses nulls, but {@code Stream.toList()} makes the same class with them. */
    @SuppressWarnings("unchecked")
    private static Collection<Object> immutableList(Collection<Object> buffer) {
        return buffer.contains(null) ? Collections.unmodifiableList((List<Object>) buffer) : List.copyOf(buffer);
    }
}
