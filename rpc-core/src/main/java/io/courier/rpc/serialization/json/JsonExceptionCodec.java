package io.courier.rpc.serialization.json;

import io.courier.rpc.RpcException;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.internal.exceptions.ExceptionShapes;
import io.courier.rpc.serialization.SerializationException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.ArrayList;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/**
 * Writes exceptions as {@code {"type", "message", "code"?, "remoteClassName"?, "fields"?, "cause"?}}
 * and re-creates them: exactly as thrown where the JDK allows (only {@code Throwable}'s
 * constructor runs, then the fields are set), else through a public constructor.
 *
 * <p>Thread-safe: the constructor lookup of each exception class is cached in a
 * {@link ClassValue}. Since JSON has no allowlist, only public constructors of loadable
 * {@code Throwable} subclasses are used, and a class is checked to be one before anything
 * initializes it.
 */
final class JsonExceptionCodec {

    private static final int MAX_CAUSE_DEPTH = 16;
    private static final StackTraceElement[] NO_STACK_TRACE = new StackTraceElement[0];

    private final JsonMapper mapper;
    private final ClassLoader classLoader;
    private final ClassValue<Constructors> constructors = new ClassValue<>() {
        @Override
        protected Constructors computeValue(Class<?> type) {
            return Constructors.of(type);
        }
    };

    JsonExceptionCodec(JsonMapper mapper, ClassLoader classLoader) {
        this.mapper = mapper;
        this.classLoader = classLoader;
    }

    void write(Throwable exception, OutputStream out) {
        try (JsonGenerator generator = mapper.createGenerator(out)) {
            writeObject(generator, exception, 0);
        }
    }

    Throwable read(InputStream in) {
        JsonNode node = mapper.readTree(in);
        if (node == null || !node.isObject()) {
            throw new SerializationException("A JSON exception must be an object");
        }
        return readObject(node, 0, false);
    }

    private void writeObject(JsonGenerator generator, Throwable exception, int depth) {
        generator.writeStartObject();
        generator.writeStringProperty("type", exception.getClass().getName());
        generator.writeStringProperty("message", exception.getMessage());
        if (exception instanceof RpcException rpcException) {
            generator.writeNumberProperty("code", rpcException.code().code());
            generator.writeStringProperty("remoteClassName", rpcException.remoteClassName());
        } else {
            writeFields(generator, exception);
        }
        Throwable cause = exception.getCause();
        if (cause != null && cause != exception && depth < MAX_CAUSE_DEPTH) {
            generator.writeName("cause");
            writeObject(generator, cause, depth + 1);
        }
        generator.writeEndObject();
    }

    /** Writes the fields the exception's class adds, those the mapper can write; skips the others. */
    private void writeFields(JsonGenerator generator, Throwable exception) {
        Field[] fields = constructors.get(exception.getClass()).fields();
        if (fields.length == 0) {
            return;
        }
        ObjectNode values = mapper.createObjectNode();
        for (Field field : fields) {
            try {
                values.set(field.getName(), mapper.valueToTree(field.get(exception)));
            } catch (IllegalAccessException | JacksonException e) {
                // A field JSON cannot carry: the exception still arrives, without it.
            }
        }
        generator.writeName("fields");
        generator.writeTree(values);
    }

    /** @param degrade whether an exception that cannot be re-created becomes an {@link RpcException} */
    private Throwable readObject(JsonNode node, int depth, boolean degrade) {
        if (depth > MAX_CAUSE_DEPTH) {
            throw new SerializationException("Exception cause chain is deeper than " + MAX_CAUSE_DEPTH);
        }
        String className = text(node, "type");
        if (className == null) {
            throw new SerializationException("JSON exception has no type");
        }
        String message = text(node, "message");
        JsonNode causeNode = node.get("cause");
        Throwable cause = causeNode != null && causeNode.isObject() ? readObject(causeNode, depth + 1, true) : null;
        Throwable exception;
        try {
            exception = create(className, message, cause, node);
        } catch (SerializationException e) {
            if (!degrade) {
                throw e;
            }
            // A cause we cannot re-create still tells the caller what happened remotely.
            exception = new RpcException(RpcErrorCode.APPLICATION_ERROR, message, cause, className);
        }
        exception.setStackTrace(NO_STACK_TRACE);
        return exception;
    }

    private Throwable create(String className, String message, Throwable cause, JsonNode node) {
        Class<?> type = load(className);
        Constructors shape = constructors.get(type);
        if (RpcException.class.isAssignableFrom(type)) {
            Throwable rpcException = shape.createRpcException(node, message, cause);
            if (rpcException != null) {
                return rpcException;
            }
        }
        // Exactly as thrown where the JDK allows it: no constructor of the class runs.
        Throwable exact = ExceptionShapes.newExact(shape.exact(), message, cause);
        if (exact == null) {
            return shape.create(message, cause);
        }
        JsonNode fields = node.get("fields");
        if (fields != null && fields.isObject()) {
            for (Field field : shape.fields()) {
                JsonNode value = fields.get(field.getName());
                if (value != null) {
                    try {
                        field.set(exact, mapper.treeToValue(value, mapper.constructType(field.getGenericType())));
                    } catch (IllegalAccessException | IllegalArgumentException | JacksonException e) {
                        // Another version of the class, or a value that does not fit: keep the default.
                    }
                }
            }
        }
        return exact;
    }

    private Class<?> load(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, false, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SerializationException("Exception class " + quote(className) + " cannot be loaded", e);
        }
        if (!Throwable.class.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers())) {
            throw new SerializationException("Class " + quote(className) + " is not a concrete Throwable");
        }
        return type;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || !value.isString() ? null : value.stringValue();
    }

    private static String quote(String className) {
        return className.length() <= 200 ? className : className.substring(0, 200) + "...";
    }

    /** The public constructors of one exception class that can carry a message and cause. */
    private record Constructors(Class<?> type, Constructor<?> messageAndCause, Constructor<?> message,
            Constructor<?> noArg, Constructor<?> rpc, Constructor<?> exact, Field[] fields,
            List<Constructor<?>> messageAndTypedCause) {

        static Constructors of(Class<?> type) {
            boolean concrete = Throwable.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers());
            return new Constructors(type, find(type, String.class, Throwable.class), find(type, String.class),
                    find(type), find(type, RpcErrorCode.class, String.class, Throwable.class, String.class),
                    concrete && Modifier.isPublic(type.getModifiers()) ? ExceptionShapes.exactConstructor(type) : null,
                    Throwable.class.isAssignableFrom(type) ? ExceptionShapes.userFields(type) : new Field[0],
                    messageAndTypedCause(type));
        }

        /** The public {@code (String, T extends Throwable)} constructors, e.g. {@code UncheckedIOException(String, IOException)}. */
        private static List<Constructor<?>> messageAndTypedCause(Class<?> type) {
            List<Constructor<?>> found = new ArrayList<>();
            for (Constructor<?> c : type.getConstructors()) {
                Class<?>[] p = c.getParameterTypes();
                if (p.length == 2 && p[0] == String.class && Throwable.class.isAssignableFrom(p[1])) {
                    found.add(c);
                }
            }
            return List.copyOf(found);
        }

        private static Constructor<?> find(Class<?> type, Class<?>... parameterTypes) {
            try {
                return type.getConstructor(parameterTypes);
            } catch (NoSuchMethodException e) {
                // Absent constructors are simply not candidates.
                return null;
            }
        }

        Throwable createRpcException(JsonNode node, String message, Throwable cause) {
            if (rpc == null) {
                return null;
            }
            JsonNode codeNode = node.get("code");
            RpcErrorCode code = codeNode != null && codeNode.isInt() ? RpcErrorCode.of(codeNode.intValue()) : RpcErrorCode.UNKNOWN;
            return newInstance(rpc, code, message, cause, text(node, "remoteClassName"));
        }

        Throwable create(String text, Throwable cause) {
            if (messageAndCause != null) {
                return newInstance(messageAndCause, text, cause);
            }
            Constructor<?> typed = message == null ? typedCause(cause) : null;
            if (typed != null) {
                // e.g. UncheckedIOException(String, IOException): the cause's own type.
                return newInstance(typed, text, cause);
            }
            Throwable exception;
            if (message != null) {
                exception = newInstance(message, text);
            } else if (noArg != null) {
                exception = newInstance(noArg);
            } else {
                throw new SerializationException("Exception class " + type.getName()
                        + " has no public (String, Throwable), (String) or no-arg constructor");
            }
            if (cause != null) {
                try {
                    exception.initCause(cause);
                } catch (IllegalStateException e) {
                    // The constructor already chose a cause; the re-created exception keeps it.
                    return exception;
                }
            }
            return exception;
        }

        /** A public {@code (String, T)} constructor whose {@code T} the cause is, or {@code null}. */
        private Constructor<?> typedCause(Throwable cause) {
            if (cause == null) {
                return null;
            }
            for (Constructor<?> c : messageAndTypedCause) {
                if (c.getParameterTypes()[1].isInstance(cause)) {
                    return c;
                }
            }
            return null;
        }

        private Throwable newInstance(Constructor<?> constructor, Object... args) {
            try {
                return (Throwable) constructor.newInstance(args);
            } catch (InvocationTargetException | InstantiationException | IllegalAccessException
                    | IllegalArgumentException e) {
                throw new SerializationException("Could not instantiate exception class " + type.getName(), e);
            }
        }
    }
}
