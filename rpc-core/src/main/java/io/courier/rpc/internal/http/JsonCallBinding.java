package io.courier.rpc.internal.http;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.MethodSignature;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Binds an HTTP JSON request body to one method and its arguments, and encodes the result.
 *
 * <p>Thread-safe: one instance serves every connection. It uses the JSON serializer's mapper
 * ({@link JsonSerializer#mapper()}): the same settings, no default typing (values are read as
 * the declared parameter types, never as a class the sender names), and Jackson's
 * {@code StreamReadConstraints} bounding nesting depth, string and number lengths.
 *
 * <h2>The body</h2>
 * UTF-8 JSON (a UTF-8 byte order mark is skipped; anything else, such as UTF-16, is refused with
 * {@code BAD_REQUEST}). Either
 * <ul>
 *   <li>an array with one element per parameter, {@code [42, "x"]}; or</li>
 *   <li>an object by parameter name, {@code {"id": 42, "name": "x"}}, for methods whose interface
 *       was compiled with {@code -parameters}; an {@code Optional} parameter may be left out
 *       (it is then empty), any other must be present, and unknown names are refused; or</li>
 *   <li>empty, for a method with no parameters.</li>
 * </ul>
 * A {@code null} for a primitive parameter is refused.
 *
 * <h2>Choosing the overload</h2>
 * With an overload selector ({@code name~descriptor}, see {@link RpcPath}) the overload with
 * that descriptor is called ({@code METHOD_NOT_FOUND} when none has it). Without one, among the
 * overloads of the name:
 * <ol>
 *   <li>an array body selects those with as many parameters as it has elements; an empty body
 *       those with none;</li>
 *   <li>an object body selects those whose parameter names are known, include every name in
 *       the object, and whose parameters missing from it are all {@code Optional};</li>
 *   <li>exactly one selected: it is called. None: with a single overload, the error names the
 *       missing, extra or unknown parameter; otherwise a {@code BAD_REQUEST} lists the candidates.
 *       Several: a {@code BAD_REQUEST} lists the selected candidates' exact paths. Argument types
 *       are never used to choose: JSON coerces too freely for that to be predictable.</li>
 * </ol>
 * An argument that cannot be read as its parameter's type is a {@code BAD_REQUEST} naming the
 * parameter (its name, or {@code arg<i>} without {@code -parameters}). All binding failures are
 * {@link JsonCallException}s.
 */
final class JsonCallBinding {

    /** First size of a result's buffer: a typical small object; larger results grow it. */
    private static final int RESULT_BUFFER = 512;

    private final JsonMapper mapper;
    private final ConcurrentMap<Type, ObjectReader> readers = new ConcurrentHashMap<>();
    private final ConcurrentMap<Type, ObjectWriter> writers = new ConcurrentHashMap<>();

    /** Creates a binding on the JSON serializer's mapper, so HTTP follows the serializer's rules. */
    JsonCallBinding(JsonSerializer serializer) {
        this(serializer.mapper());
    }

    /** Creates a binding on a mapper that must already have default typing off. */
    JsonCallBinding(JsonMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * A method chosen for a call, with its decoded arguments.
     *
     * @param method the chosen overload; look up its invoker with its name and parameter descriptor
     * @param arguments one per parameter
     */
    record BoundCall(MethodMetadata method, Object[] arguments) {
    }

    /**
     * Chooses the overload and decodes the arguments.
     *
     * @param overloads every overload of the method name on the target service (not empty)
     * @param parameterDescriptor the path's overload selector, or {@code null} to choose by the rule
     * @param body the raw request body
     * @throws JsonCallException when the body or the arguments do not fit
     */
    BoundCall bind(List<MethodMetadata> overloads, String parameterDescriptor, byte[] body) {
        if (overloads.isEmpty()) {
            throw new IllegalArgumentException("overloads: [] (expected: at least one method)");
        }
        MethodMetadata only = parameterDescriptor == null && overloads.size() == 1 ? overloads.get(0) : null;
        if (only != null) {
            Object[] arguments = readArray(only, body);
            if (arguments != null) {
                return new BoundCall(only, arguments);
            }
        }
        JsonNode tree = parse(body);
        if (parameterDescriptor != null) {
            for (MethodMetadata m : overloads) {
                if (m.parameterDescriptor().equals(parameterDescriptor)) {
                    return new BoundCall(m, decode(m, tree));
                }
            }
            MethodMetadata any = overloads.get(0);
            throw new JsonCallException(RpcErrorCode.METHOD_NOT_FOUND, "Service " + any.serviceKey()
                    + " has no method " + any.name() + "(" + parameterDescriptor + ")", null, paths(overloads), null);
        }
        List<MethodMetadata> selected = new ArrayList<>();
        for (MethodMetadata m : overloads) {
            if (fits(m, tree)) {
                selected.add(m);
            }
        }
        if (selected.size() == 1) {
            return new BoundCall(selected.get(0), decode(selected.get(0), tree));
        }
        if (selected.isEmpty() && overloads.size() == 1) {
            // decode() names what is missing, extra or unknown.
            return new BoundCall(overloads.get(0), decode(overloads.get(0), tree));
        }
        MethodMetadata any = overloads.get(0);
        String what = selected.isEmpty() ? "No overload of " + any.name() + " takes " + shape(tree)
                : "Ambiguous call: " + selected.size() + " overloads of " + any.name() + " take " + shape(tree);
        List<MethodMetadata> candidates = selected.isEmpty() ? overloads : selected;
        throw new JsonCallException(RpcErrorCode.BAD_REQUEST, what + "; call one of " + signatures(candidates)
                + " at its own path", null, paths(candidates), null);
    }

    /**
     * Checks the {@code charset} parameter of a request's {@code Content-Type}: JSON is UTF-8
     * (RFC 8259), so any other declared charset is refused before the body is read. The media type
     * itself is not checked here ({@code curl -d} sends a form type unless told otherwise).
     *
     * @param contentType the header value, or {@code null} when absent
     * @throws JsonCallException with {@code BAD_REQUEST} for a charset other than UTF-8
     */
    static void requireUtf8(String contentType) {
        if (contentType == null || contentType.indexOf(';') < 0) {
            return;
        }
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String charset = p.substring(8).strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw JsonCallException.badRequest("Content-Type charset " + charset
                            + " is not supported; send JSON as UTF-8 (RFC 8259)");
                }
            }
        }
    }

    /** Whether a method has no JSON answer ({@code void}, {@code Void}, or a future of {@code Void}): HTTP 204. */
    static boolean returnsNothing(MethodMetadata method) {
        Type t = method.valueType();
        return t == void.class || t == Void.class;
    }

    /**
     * Encodes a method's return value as JSON (UTF-8), with its declared value type.
     *
     * @return the body; empty when {@link #returnsNothing} (answer 204)
     * @throws RpcException with {@link RpcErrorCode#INTERNAL} when the value cannot be written
     */
    byte[] encodeResult(MethodMetadata method, Object value) {
        ByteBuf body = encodeResult(method, value, UnpooledByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(body);
        } finally {
            body.release();
        }
    }

    /**
     * Encodes a method's return value as JSON (UTF-8) straight into a buffer of {@code allocator}:
     * no intermediate array on the way to the socket.
     *
     * @return the body, which the caller releases; empty when {@link #returnsNothing} (answer 204)
     * @throws RpcException with {@link RpcErrorCode#INTERNAL} when the value cannot be written
     *         (nothing is then left allocated)
     */
    ByteBuf encodeResult(MethodMetadata method, Object value, ByteBufAllocator allocator) {
        if (returnsNothing(method)) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf body = allocator.buffer(RESULT_BUFFER);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            writer(method.valueType()).writeValue((OutputStream) out, value);
            return body;
        } catch (JacksonException | IOException e) {
            body.release();
            throw new RpcException(RpcErrorCode.INTERNAL, "Could not write the result of " + method.qualifiedName()
                    + " as JSON: " + (e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    /** Whether the method's parameter names were compiled in ({@code -parameters}). */
    static boolean namesKnown(Method method) {
        for (Parameter p : method.getParameters()) {
            if (!p.isNamePresent()) {
                return false;
            }
        }
        return true;
    }

    /** Whether a parameter of this type may be left out of an object body (it is then empty). */
    static boolean omittable(Class<?> type) {
        return type == Optional.class || type == OptionalInt.class || type == OptionalLong.class
                || type == OptionalDouble.class;
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            if (isPrintableAscii(body)) {
                // The common case, plain ASCII JSON: valid UTF-8 as it is, parsed from the bytes.
                return isBlank(body) ? null : mapper.readTree(body);
            }
            String text = utf8(body);
            if (text.isBlank()) {
                return null;
            }
            return mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            throw JsonCallException.badArgument(null, "Body exceeds a JSON limit: " + e.getOriginalMessage(), e);
        } catch (JacksonException e) {
            throw JsonCallException.badArgument(null, "Body is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The fast path of the common call: one overload, an ASCII array body with one element per
     * parameter, each read straight from the parser into its parameter's type, no tree between.
     *
     * @return the arguments, or {@code null} when the body is anything else or does not bind: the
     *         tree path then binds it, or explains exactly why it cannot
     */
    Object[] readArray(MethodMetadata m, byte[] body) {
        if (body == null || !isPrintableAscii(body)) {
            return null;
        }
        int start = 0;
        while (start < body.length && Character.isWhitespace((char) body[start])) {
            start++;
        }
        if (start == body.length || body[start] != '[') {
            return null;
        }
        Type[] types = m.parameterTypes();
        Object[] arguments = new Object[types.length];
        try (JsonParser parser = mapper.createParser(body)) {
            parser.nextToken();
            for (int i = 0; i < types.length; i++) {
                JsonToken token = parser.nextToken();
                if (token == null || token == JsonToken.END_ARRAY
                        || token == JsonToken.VALUE_NULL && types[i] instanceof Class<?> c && c.isPrimitive()) {
                    return null;
                }
                arguments[i] = reader(types[i]).readValue(parser);
            }
            return parser.nextToken() == JsonToken.END_ARRAY && parser.nextToken() == null ? arguments : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Whether every byte is ASCII and none is NUL (which would betray UTF-16 or UTF-32). */
    private static boolean isPrintableAscii(byte[] body) {
        for (byte b : body) {
            if (b <= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace((char) b)) {
                return false;
            }
        }
        return true;
    }

    private static String utf8(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw JsonCallException.badRequest("Body is not UTF-8; send JSON as UTF-8 (RFC 8259)");
        }
        String text = chars.toString();
        if (text.indexOf('\0') >= 0) {
            // NUL is never valid JSON outside a string, where it must be escaped: a UTF-16 or UTF-32 body.
            throw JsonCallException.badRequest("Body is not UTF-8 (it holds NUL bytes, as UTF-16 or UTF-32 do);"
                    + " send JSON as UTF-8 (RFC 8259)");
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static boolean fits(MethodMetadata m, JsonNode tree) {
        Parameter[] parameters = m.method().getParameters();
        if (tree == null) {
            return parameters.length == 0;
        }
        if (tree.isArray()) {
            return tree.size() == parameters.length;
        }
        if (!tree.isObject() || !namesKnown(m.method())) {
            return false;
        }
        Set<String> names = new HashSet<>();
        for (Parameter p : parameters) {
            names.add(p.getName());
            if (!tree.has(p.getName()) && !omittable(p.getType())) {
                return false;
            }
        }
        return names.containsAll(tree.propertyNames());
    }

    private Object[] decode(MethodMetadata m, JsonNode tree) {
        Parameter[] parameters = m.method().getParameters();
        Type[] types = m.parameterTypes();
        Object[] arguments = new Object[parameters.length];
        if (tree == null) {
            if (parameters.length > 0) {
                throw JsonCallException.badArgument(parameters[0].getName(), "Body is empty but " + signature(m)
                        + " takes " + parameters.length + " argument(s); missing '" + parameters[0].getName() + "'", null);
            }
            return arguments;
        }
        if (tree.isArray()) {
            if (tree.size() < parameters.length) {
                String missing = parameters[tree.size()].getName();
                throw JsonCallException.badArgument(missing, "Missing argument '" + missing + "' (parameter "
                        + (tree.size() + 1) + " of " + signature(m) + "): got " + tree.size() + " of "
                        + parameters.length, null);
            }
            if (tree.size() > parameters.length) {
                throw JsonCallException.badArgument(null, "Too many arguments: " + signature(m) + " takes "
                        + parameters.length + ", got " + tree.size(), null);
            }
            for (int i = 0; i < parameters.length; i++) {
                arguments[i] = read(m, i, tree.get(i));
            }
            return arguments;
        }
        if (!tree.isObject()) {
            throw JsonCallException.badRequest("Body must be a JSON array of arguments"
                    + (namesKnown(m.method()) ? " or an object by parameter name" : "") + ", not " + shape(tree));
        }
        if (!namesKnown(m.method())) {
            throw JsonCallException.badRequest("Parameter names of " + signature(m) + " are not known (compile "
                    + "the interface with -parameters); send the arguments as a JSON array");
        }
        Set<String> names = new HashSet<>();
        for (Parameter p : parameters) {
            names.add(p.getName());
        }
        for (Iterator<String> it = tree.propertyNames().iterator(); it.hasNext();) {
            String name = it.next();
            if (!names.contains(name)) {
                throw JsonCallException.badArgument(name, "Unknown parameter '" + name + "' for " + signature(m), null);
            }
        }
        for (int i = 0; i < parameters.length; i++) {
            JsonNode value = tree.get(parameters[i].getName());
            if (value == null) {
                if (!omittable(parameters[i].getType())) {
                    throw JsonCallException.badArgument(parameters[i].getName(), "Missing argument '"
                            + parameters[i].getName() + "' (parameter " + (i + 1) + " of " + signature(m) + ")", null);
                }
                arguments[i] = read(m, i, mapper.nullNode());
            } else {
                arguments[i] = read(m, i, value);
            }
        }
        return arguments;
    }

    private Object read(MethodMetadata m, int index, JsonNode value) {
        Parameter parameter = m.method().getParameters()[index];
        Type type = m.parameterTypes()[index];
        if (type instanceof Class<?> c && c.isPrimitive() && value.isNull()) {
            throw JsonCallException.badArgument(parameter.getName(), "Argument '" + parameter.getName()
                    + "' (parameter " + (index + 1) + " of " + signature(m) + ") is null but " + c.getName()
                    + " is declared", null);
        }
        try {
            return reader(type).readValue(value);
        } catch (JacksonException e) {
            throw JsonCallException.badArgument(parameter.getName(), "Argument '" + parameter.getName()
                    + "' (parameter " + (index + 1) + " of " + signature(m) + ") is not a valid "
                    + type.getTypeName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private ObjectReader reader(Type type) {
        ObjectReader reader = readers.get(type);
        if (reader == null) {
            // Without the trailing-token check: readArray reads one element of the array at a time.
            reader = readers.computeIfAbsent(type, t -> mapper.readerFor(javaType(t))
                    .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
        }
        return reader;
    }

    private ObjectWriter writer(Type type) {
        ObjectWriter writer = writers.get(type);
        if (writer == null) {
            writer = writers.computeIfAbsent(type, t -> mapper.writerFor(javaType(t)));
        }
        return writer;
    }

    /** Primitives are read boxed, as the serializer does, so a JSON null is caught rather than read as zero. */
    private JavaType javaType(Type type) {
        JavaType javaType = mapper.getTypeFactory().constructType(type);
        if (!javaType.isPrimitive()) {
            return javaType;
        }
        Class<?> raw = javaType.getRawClass();
        Class<?> boxed = raw == int.class ? Integer.class : raw == long.class ? Long.class
                : raw == boolean.class ? Boolean.class : raw == double.class ? Double.class
                : raw == float.class ? Float.class : raw == short.class ? Short.class
                : raw == byte.class ? Byte.class : raw == char.class ? Character.class : Void.class;
        return mapper.getTypeFactory().constructType(boxed);
    }

    private static String shape(JsonNode tree) {
        if (tree == null) {
            return "no arguments (empty body)";
        } else if (tree.isArray()) {
            return tree.size() + " argument(s)";
        } else if (tree.isObject()) {
            return "parameters " + tree.propertyNames();
        }
        return "a JSON " + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String signature(MethodMetadata m) {
        StringBuilder sb = new StringBuilder(m.name()).append('(');
        Parameter[] parameters = m.method().getParameters();
        for (int i = 0; i < parameters.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(parameters[i].getParameterizedType().getTypeName()).append(' ').append(parameters[i].getName());
        }
        return sb.append(')').toString();
    }

    private static String signatures(List<MethodMetadata> methods) {
        return methods.stream().map(JsonCallBinding::signature).toList().toString();
    }

    private static List<String> paths(List<MethodMetadata> methods) {
        return methods.stream()
                .map(m -> RpcPath.exact(m.serviceKey(), MethodSignature.of(m.method())).encoded())
                .toList();
    }
}
