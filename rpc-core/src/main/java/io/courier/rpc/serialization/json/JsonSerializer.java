package io.courier.rpc.serialization.json;

import io.courier.rpc.RpcException;
import io.courier.rpc.serialization.SerializationException;
import io.courier.rpc.serialization.Serializer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Future;

/**
 * A JSON body format on Jackson 3, for interoperability and debugging.
 *
 * <p>Thread-safe: one instance serves every connection. Values are read with the declared
 * parameter and return types, so no class names travel and no class is chosen by the sender:
 * default typing is always switched off, even on a mapper passed in. Arguments are a JSON array
 * with one element per parameter. Exceptions are an object with their class name and message
 * (and the code of an {@code RpcException}); see {@link #writeException}. Jackson's default
 * {@code StreamReadConstraints} bound string lengths, number lengths and nesting depth. On a
 * provider, what the arguments will take on the heap is charged to the call's
 * {@link io.courier.rpc.serialization.DecodeBudget} token by token as they are read.
 *
 * <p>By default unknown properties are ignored and {@code java.time} values are ISO-8601
 * strings; {@code Optional} and records are supported. A declared
 * {@code CompletableFuture<T>} or {@code CompletionStage<T>} counts as {@code T}.
 */
public final class JsonSerializer implements Serializer {

    /** The wire id of this format. */
    public static final byte ID = 2;
    /** The configuration name of this format. */
    public static final String NAME = "json";

    private static final Object[] NO_ARGUMENTS = new Object[0];

    private final JsonMapper mapper;
    private final JsonExceptionCodec exceptions;
    private final ConcurrentMap<Type, ObjectReader> readers = new ConcurrentHashMap<>();
    private final ConcurrentMap<Type, ObjectWriter> writers = new ConcurrentHashMap<>();

    /** Creates a serializer with Courier's default mapper settings. */
    public JsonSerializer() {
        this(JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .build());
    }

    /**
     * Creates a serializer on a copy of the given mapper, with default typing deactivated and
     * stream auto-closing switched off (the serializer never closes the caller's streams).
     */
    public JsonSerializer(JsonMapper mapper) {
        Objects.requireNonNull(mapper, "mapper");
        this.mapper = mapper.rebuild()
                .deactivateDefaultTyping()
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                .build();
        ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
        this.exceptions = new JsonExceptionCodec(this.mapper,
                contextLoader != null ? contextLoader : JsonSerializer.class.getClassLoader());
    }

    /** Same as {@code new JsonSerializer()}. */
    public static JsonSerializer ofDefaults() {
        return new JsonSerializer();
    }

    /**
     * Returns the mapper this serializer reads and writes with, for other JSON bindings of the
     * same values (the HTTP binding), so that they follow the same rules. Jackson 3 mappers are
     * immutable; default typing is off.
     */
    public JsonMapper mapper() {
        return mapper;
    }

    @Override
    public byte id() {
        return ID;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void writeArguments(Object[] arguments, Type[] parameterTypes, OutputStream out) {
        Object[] values = arguments == null ? NO_ARGUMENTS : arguments;
        if (values.length != parameterTypes.length) {
            throw new SerializationException("Got " + values.length + " arguments for "
                    + parameterTypes.length + " parameter types");
        }
        try (JsonGenerator generator = mapper.createGenerator(out)) {
            generator.writeStartArray();
            for (int i = 0; i < values.length; i++) {
                writer(parameterTypes[i]).writeValue(generator, values[i]);
            }
            generator.writeEndArray();
        } catch (JacksonException e) {
            throw new SerializationException("Could not write arguments as JSON", e);
        }
    }

    @Override
    public Object[] readArguments(Type[] parameterTypes, InputStream in) {
        try (JsonParser parser = BudgetedJsonParser.of(mapper.createParser(in))) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new SerializationException("JSON arguments must be an array");
            }
            Object[] arguments = new Object[parameterTypes.length];
            for (int i = 0; i < parameterTypes.length; i++) {
                if (parser.nextToken() == JsonToken.END_ARRAY) {
                    throw countMismatch(i, parameterTypes.length);
                }
                arguments[i] = checkNull(reader(parameterTypes[i]).readValue(parser), parameterTypes[i], i);
            }
            if (parser.nextToken() != JsonToken.END_ARRAY) {
                throw new SerializationException("Body holds more than " + parameterTypes.length
                        + " arguments, the number of declared parameters");
            }
            requireEnd(parser);
            return arguments;
        } catch (JacksonException e) {
            RpcException exhausted = BudgetedJsonParser.exhaustion(e);
            if (exhausted != null) {
                throw exhausted;
            }
            throw new SerializationException("Could not read JSON arguments as their declared types", e);
        }
    }

    @Override
    public void writeValue(Object value, Type declaredType, OutputStream out) {
        try {
            writer(declaredType).writeValue(out, value);
        } catch (JacksonException e) {
            throw new SerializationException("Could not write a value as JSON", e);
        }
    }

    @Override
    public Object readValue(Type declaredType, InputStream in) {
        try (JsonParser parser = BudgetedJsonParser.of(mapper.createParser(in))) {
            if (parser.nextToken() == null) {
                throw new SerializationException("Body is empty");
            }
            Object value = checkNull(reader(declaredType).readValue(parser), declaredType, -1);
            requireEnd(parser);
            return value;
        } catch (JacksonException e) {
            RpcException exhausted = BudgetedJsonParser.exhaustion(e);
            if (exhausted != null) {
                throw exhausted;
            }
            throw new SerializationException("Could not read a JSON value as its declared type", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Writes {@code {"type": className, "message": message}}, plus {@code code} and
     * {@code remoteClassName} for an {@code RpcException} and the {@code cause} as a nested
     * object of the same shape, at most 16 deep. Other fields are not written.
     */
    @Override
    public void writeException(Throwable exception, OutputStream out) {
        Objects.requireNonNull(exception, "exception");
        try {
            exceptions.write(exception, out);
        } catch (JacksonException e) {
            throw new SerializationException("Could not write exception " + exception.getClass().getName()
                    + " as JSON", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Re-creates only loadable {@code Throwable} subclasses with a public
     * {@code (String, Throwable)}, {@code (String)} or no-arg constructor, and
     * {@code RpcException} with its code; the result has an empty stack trace. A cause that
     * cannot be re-created becomes an {@code RpcException} naming its class.
     */
    @Override
    public Throwable readException(InputStream in) {
        try {
            return exceptions.read(in);
        } catch (JacksonException e) {
            throw new SerializationException("Could not read a JSON exception", e);
        }
    }

    private ObjectWriter writer(Type type) {
        ObjectWriter writer = writers.get(type);
        if (writer == null) {
            writer = writers.computeIfAbsent(type, t -> mapper.writerFor(javaType(t)));
        }
        return writer;
    }

    private ObjectReader reader(Type type) {
        ObjectReader reader = readers.get(type);
        if (reader == null) {
            // Values are read from a shared parser, so this class checks for trailing tokens itself.
            reader = readers.computeIfAbsent(type, t -> mapper.readerFor(javaType(t))
                    .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
        }
        return reader;
    }

    /** Primitives are read boxed so that a JSON {@code null} is caught rather than read as zero. */
    private JavaType javaType(Type type) {
        Type valueType = type;
        Class<?> raw = mapper.getTypeFactory().constructType(type).getRawClass();
        if (Future.class.isAssignableFrom(raw) || CompletionStage.class.isAssignableFrom(raw)) {
            valueType = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
        }
        JavaType javaType = mapper.getTypeFactory().constructType(valueType);
        return javaType.isPrimitive() ? mapper.getTypeFactory().constructType(boxed(javaType.getRawClass())) : javaType;
    }

    private static Object checkNull(Object value, Type declaredType, int index) {
        if (value == null && declaredType instanceof Class<?> c && c.isPrimitive() && c != void.class) {
            throw new SerializationException((index < 0 ? "Return value" : "Argument " + index)
                    + " is null but " + c.getName() + " is declared");
        }
        return value;
    }

    private static void requireEnd(JsonParser parser) {
        if (parser.nextToken() != null) {
            throw new SerializationException("Body has trailing content");
        }
    }

    private static SerializationException countMismatch(int count, int declared) {
        return new SerializationException("Body holds " + count + " arguments but " + declared
                + " parameters are declared");
    }

    private static Class<?> boxed(Class<?> type) {
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
}
