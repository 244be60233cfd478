package io.courier.rpc.internal.http;

import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.introspect.AnnotatedClass;
import tools.jackson.databind.introspect.BeanPropertyDefinition;
import tools.jackson.databind.introspect.ClassIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
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
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Turns Java types into JSON Schema (2020-12, as OpenAPI 3.1 uses it) describing the JSON that
 * the JSON serializer's mapper reads and writes for them.
 *
 * <p>Not thread-safe: one instance builds the schemas of one document, collecting named
 * components as it goes. Rules:
 * <ul>
 *   <li>primitives and their boxes: {@code boolean}, {@code integer} ({@code int32}/{@code int64}),
 *       {@code number} ({@code float}/{@code double}); {@code char} a one-character string;
 *       {@code BigInteger} an integer and {@code BigDecimal} a number;</li>
 *   <li>{@code String}, {@code UUID} ({@code uuid}), {@code URI}; {@code byte[]} a base64 string;</li>
 *   <li>{@code java.time} values as ISO-8601 strings ({@code date-time}, {@code date}, {@code time},
 *       {@code duration}, or a pattern where JSON Schema has no format), as the serializer writes
 *       them with timestamps switched off;</li>
 *   <li>enums: the strings the mapper writes for each constant;</li>
 *   <li>arrays and collections: {@code array} (sets with {@code uniqueItems}); maps: {@code object}
 *       with {@code additionalProperties};</li>
 *   <li>{@code Optional<T>} (and {@code OptionalInt}, ...): T or {@code null};</li>
 *   <li>records and other concrete classes: a component under {@code #/components/schemas} with
 *       the properties Jackson would write (its visible properties), referenced by {@code $ref},
 *       so nested and recursive types are described once; a generic type gets one component per
 *       set of type arguments ({@code Page_User});</li>
 *   <li>{@code Object}, interfaces, abstract classes and type variables: any JSON value.</li>
 * </ul>
 * Custom serializers and {@code @JsonValue} are not inspected: such types are described by
 * their properties, which may not match what they write.
 */
final class JsonSchemaGenerator {

    private static final String REF_PREFIX = "#/components/schemas/";

    private final JsonMapper mapper;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final SerializationConfig config;
    private final ClassIntrospector introspector;
    /** Component name by canonical type, in the order they were found. */
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, String> typeByName = new HashMap<>();
    private final Map<String, ObjectNode> components = new LinkedHashMap<>();

    JsonSchemaGenerator(JsonMapper mapper) {
        this.mapper = mapper;
        this.config = mapper.serializationConfig();
        this.introspector = config.classIntrospectorInstance().forOperation(config);
    }

    /** Returns the components found so far, by name; the document puts them under {@code components.schemas}. */
    Map<String, ObjectNode> components() {
        return components;
    }

    /** Returns the schema of a declared type, adding any components it needs. */
    ObjectNode schema(Type type) {
        return schema(mapper.getTypeFactory().constructType(type));
    }

    /** Returns the schema of a resolved type, adding any components it needs. */
    ObjectNode schema(JavaType type) {
        Class<?> raw = type.getRawClass();
        ObjectNode scalar = scalar(raw);
        if (scalar != null) {
            return scalar;
        }
        if (raw.isEnum()) {
            return enumSchema(raw);
        }
        if (raw == Optional.class) {
            return nullable(schema(type.containedTypeOrUnknown(0)));
        }
        if (type.isArrayType() || type.isCollectionLikeType()) {
            ObjectNode array = nodes.objectNode().put("type", "array");
            array.set("items", schema(type.getContentType()));
            if (Set.class.isAssignableFrom(raw)) {
                array.put("uniqueItems", true);
            }
            return array;
        }
        if (type.isMapLikeType()) {
            ObjectNode map = nodes.objectNode().put("type", "object");
            if (type.getKeyType().getRawClass().isEnum()) {
                map.set("propertyNames", enumSchema(type.getKeyType().getRawClass()));
            }
            map.set("additionalProperties", schema(type.getContentType()));
            return map;
        }
        if (raw == Object.class || raw.isInterface() || Modifier.isAbstract(raw.getModifiers())
                || Collection.class.isAssignableFrom(raw) || Iterable.class.isAssignableFrom(raw)
                || JsonNode.class.isAssignableFrom(raw) || raw.isPrimitive() || Number.class.isAssignableFrom(raw)) {
            return anyValue(raw);
        }
        return reference(type);
    }

    private ObjectNode scalar(Class<?> raw) {
        if (raw == void.class || raw == Void.class) {
            return nodes.objectNode().put("type", "null");
        } else if (raw == boolean.class || raw == Boolean.class) {
            return type("boolean");
        } else if (raw == int.class || raw == Integer.class) {
            return type("integer").put("format", "int32");
        } else if (raw == long.class || raw == Long.class) {
            return type("integer").put("format", "int64");
        } else if (raw == short.class || raw == Short.class) {
            return type("integer").put("minimum", Short.MIN_VALUE).put("maximum", Short.MAX_VALUE);
        } else if (raw == byte.class || raw == Byte.class) {
            return type("integer").put("minimum", Byte.MIN_VALUE).put("maximum", Byte.MAX_VALUE);
        } else if (raw == float.class || raw == Float.class) {
            return type("number").put("format", "float");
        } else if (raw == double.class || raw == Double.class) {
            return type("number").put("format", "double");
        } else if (raw == char.class || raw == Character.class) {
            return type("string").put("minLength", 1).put("maxLength", 1);
        } else if (raw == BigInteger.class) {
            return type("integer");
        } else if (raw == BigDecimal.class) {
            return type("number");
        } else if (raw == OptionalInt.class) {
            return nullable(type("integer").put("format", "int32"));
        } else if (raw == OptionalLong.class) {
            return nullable(type("integer").put("format", "int64"));
        } else if (raw == OptionalDouble.class) {
            return nullable(type("number").put("format", "double"));
        } else if (raw == String.class || raw == StringBuilder.class || raw == CharSequence.class) {
            return type("string");
        } else if (raw == byte[].class) {
            return type("string").put("contentEncoding", "base64");
        } else if (raw == char[].class) {
            return type("string");
        } else if (raw == UUID.class) {
            return type("string").put("format", "uuid");
        } else if (raw == URI.class || raw == URL.class) {
            return type("string").put("format", "uri");
        } else if (raw == Locale.class || raw == Class.class) {
            return type("string");
        }
        return time(raw);
    }

    /** The ISO-8601 forms the serializer writes with WRITE_DATES_AS_TIMESTAMPS off. */
    private ObjectNode time(Class<?> raw) {
        if (raw == Instant.class || raw == OffsetDateTime.class || raw == ZonedDateTime.class
                || Date.class.isAssignableFrom(raw) || Calendar.class.isAssignableFrom(raw)) {
            return type("string").put("format", "date-time");
        } else if (raw == LocalDate.class) {
            return type("string").put("format", "date");
        } else if (raw == OffsetTime.class) {
            return type("string").put("format", "time");
        } else if (raw == LocalDateTime.class) {
            return type("string").put("description", "ISO-8601 local date-time, e.g. 2026-01-31T13:45:00")
                    .put("pattern", "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?$");
        } else if (raw == LocalTime.class) {
            return type("string").put("description", "ISO-8601 local time, e.g. 13:45:00")
                    .put("pattern", "^\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?$");
        } else if (raw == Duration.class || raw == Period.class) {
            return type("string").put("format", "duration");
        } else if (raw == Year.class) {
            return type("integer").put("format", "int32");
        } else if (raw == YearMonth.class) {
            return type("string").put("description", "ISO-8601 year and month, e.g. 2026-01")
                    .put("pattern", "^-?\\d{4,}-\\d{2}$");
        } else if (raw == MonthDay.class) {
            return type("string").put("description", "ISO-8601 month and day, e.g. --01-31")
                    .put("pattern", "^--\\d{2}-\\d{2}$");
        } else if (ZoneId.class.isAssignableFrom(raw)) {
            return type("string").put("description", "time-zone id or offset, e.g. Europe/Paris or +01:00");
        }
        return null;
    }

    private ObjectNode enumSchema(Class<?> raw) {
        ObjectNode schema = type("string");
        ArrayNode values = schema.putArray("enum");
        for (Object constant : raw.getEnumConstants()) {
            // What the mapper writes, which honours @JsonProperty and the toString feature.
            values.add(mapper.valueToTree(constant));
        }
        return schema;
    }

    private ObjectNode reference(JavaType type) {
        String canonical = type.toCanonical();
        String name = names.get(canonical);
        if (name == null) {
            name = componentName(type);
            names.put(canonical, name);
            typeByName.put(name, canonical);
            // Registered before its properties are described, so a recursive type refers to itself.
            ObjectNode component = nodes.objectNode();
            components.put(name, component);
            describeBean(type, component);
        }
        return nodes.objectNode().put("$ref", REF_PREFIX + name);
    }

    private void describeBean(JavaType type, ObjectNode component) {
        AnnotatedClass annotated = introspector.introspectClassAnnotations(type);
        BeanDescription bean = introspector.introspectForSerialization(type, annotated);
        component.put("type", "object");
        component.put("title", type.getRawClass().getName());
        ObjectNode properties = component.putObject("properties");
        ArrayNode required = nodes.arrayNode();
        for (BeanPropertyDefinition property : bean.findProperties()) {
            if (!property.couldSerialize()) {
                continue;
            }
            JavaType propertyType = property.getPrimaryType();
            properties.set(property.getName(), schema(propertyType));
            if (propertyType.isPrimitive() || property.isRequired()) {
                required.add(property.getName());
            }
        }
        if (!required.isEmpty()) {
            component.set("required", required);
        }
    }

    private String componentName(JavaType type) {
        StringBuilder sb = new StringBuilder(type.getRawClass().getSimpleName());
        for (int i = 0; i < type.containedTypeCount(); i++) {
            sb.append('_').append(simpleName(type.containedType(i)));
        }
        String name = sb.toString();
        if (typeByName.containsKey(name)) {
            // Same simple name, different class: fall back to the full name, which is unique.
            name = type.toCanonical().replaceAll("[^A-Za-z0-9._-]", "_");
        }
        return name;
    }

    private static String simpleName(JavaType type) {
        StringBuilder sb = new StringBuilder(type.getRawClass().getSimpleName().replace("[]", "Array"));
        for (int i = 0; i < type.containedTypeCount(); i++) {
            sb.append('_').append(simpleName(type.containedType(i)));
        }
        return sb.toString();
    }

    private ObjectNode anyValue(Class<?> raw) {
        ObjectNode schema = nodes.objectNode();
        if (raw != Object.class) {
            schema.put("description", "any JSON value (" + raw.getName() + ")");
        }
        return schema;
    }

    private ObjectNode type(String type) {
        return nodes.objectNode().put("type", type);
    }

    private ObjectNode nullable(ObjectNode schema) {
        ObjectNode wrapper = nodes.objectNode();
        wrapper.putArray("anyOf").add(schema).add(type("null"));
        return wrapper;
    }
}
