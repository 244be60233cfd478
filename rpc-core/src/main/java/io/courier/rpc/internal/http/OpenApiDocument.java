package io.courier.rpc.internal.http;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.invoke.MethodSignature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Generates the OpenAPI 3.1 document of a server's exported services, served as
 * {@code GET /openapi.json}.
 *
 * <p>Immutable and thread-safe; {@link #generate} builds a new tree on every call, so build it
 * once when the server starts. One {@code POST} operation per method, at the path
 * {@link RpcPath} documents ({@code /rpc/<service key>/<method>}, or
 * {@code /rpc/<service key>/<method>~<descriptor>} for each overload of an overloaded name):
 * <ul>
 *   <li>request body: a JSON array with one element per parameter ({@code prefixItems}); where
 *       the interface was compiled with {@code -parameters}, {@code oneOf} that array or an
 *       object by parameter name ({@code Optional} parameters may be left out of the object);
 *       optional when the method has no parameters;</li>
 *   <li>{@code 200} with the schema of the value type ({@code CompletableFuture<T>} and
 *       {@code CompletionStage<T>} count as {@code T}), or {@code 204} for {@code void};</li>
 *   <li>the error statuses of {@link HttpStatusMapping} and {@code default}, each an RFC 9457
 *       {@code application/problem+json} body whose {@code code} is Courier's error code name;</li>
 *   <li>for the console page, the extensions {@code x-courier-parameters} ({@code [{name, type}]}
 *       with Java type names, in order) and {@code x-courier-returns} (the value type's Java name).</li>
 * </ul>
 * Value types are described by {@link JsonSchemaGenerator} under {@code components.schemas}.
 */
final class OpenApiDocument {

    /** The name of the problem schema and response under {@code components}. */
    static final String PROBLEM = "Problem";

    private static final List<Integer> ERROR_STATUSES = List.of(400, 401, 403, 404, 429, 500, 503, 504);

    private final JsonMapper mapper;
    private final String title;
    private final String version;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    /**
     * Creates a generator.
     *
     * @param mapper the JSON serializer's mapper ({@code JsonSerializer.mapper()}), so schemas
     *     describe what it writes
     * @param title {@code info.title}, e.g. the application name
     * @param version {@code info.version}, e.g. the application version
     */
    OpenApiDocument(JsonMapper mapper, String title, String version) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.title = Objects.requireNonNull(title, "title");
        this.version = Objects.requireNonNull(version, "version");
    }

    /** Returns the document as JSON bytes (UTF-8), for serving. */
    byte[] generateBytes(List<ServiceConfig<?>> services) {
        return mapper.writeValueAsBytes(generate(services));
    }

    /** Returns the document of the given services as a tree. */
    ObjectNode generate(List<ServiceConfig<?>> services) {
        JsonSchemaGenerator schemas = new JsonSchemaGenerator(mapper);
        ObjectNode root = nodes.objectNode();
        root.put("openapi", "3.1.0");
        root.putObject("info").put("title", title).put("version", version)
                .put("description", "Courier RPC services over HTTP: POST the arguments as a JSON array "
                        + "(or an object by parameter name) to /rpc/<service>/<method>.");
        ArrayNode tags = root.putArray("tags");
        ObjectNode paths = root.putObject("paths");
        Set<String> operationIds = new HashSet<>();
        for (ServiceConfig<?> service : services) {
            String key = service.serviceKey().toString();
            tags.addObject().put("name", key).put("description", service.serviceInterface().getName());
            List<MethodMetadata> methods = methods(service);
            Map<String, Integer> countByName = new HashMap<>();
            methods.forEach(m -> countByName.merge(m.name(), 1, Integer::sum));
            for (MethodMetadata method : methods) {
                boolean overloaded = countByName.get(method.name()) > 1;
                RpcPath path = overloaded ? RpcPath.exact(key, MethodSignature.of(method.method())) : RpcPath.of(key, method.name());
                ObjectNode operation = paths.putObject(path.encoded()).putObject("post");
                operation.putArray("tags").add(key);
                operation.put("operationId", operationId(service, method, overloaded, operationIds));
                operation.put("summary", signature(method));
                if (overloaded) {
                    operation.put("description", "One overload of " + method.name() + "; "
                            + RpcPath.of(key, method.name()).encoded()
                            + " also accepts it and chooses the overload by the number of arguments "
                            + "or by parameter names.");
                }
                operation.set("x-courier-parameters", parameterList(method));
                operation.put("x-courier-returns", method.valueType().getTypeName());
                if (method.isResponseStreaming()) {
                    operation.put("x-courier-stream", true);
                }
                operation.set("requestBody", requestBody(method, schemas));
                operation.set("responses", responses(method, schemas));
            }
        }
        ObjectNode components = root.putObject("components");
        ObjectNode schemaNodes = components.putObject("schemas");
        schemas.components().forEach(schemaNodes::set);
        schemaNodes.set(PROBLEM, problemSchema());
        components.putObject("responses").putObject(PROBLEM)
                .put("description", "An RFC 9457 problem; code is Courier's error code.")
                .putObject("content").putObject(HttpStatusMapping.PROBLEM_CONTENT_TYPE).putObject("schema")
                .put("$ref", "#/components/schemas/" + PROBLEM);
        return root;
    }

    /** The methods InvokerTable exports (non-static interface methods), in a stable order. */
    static List<MethodMetadata> methods(ServiceConfig<?> service) {
        List<MethodMetadata> methods = new ArrayList<>();
        for (Method method : service.serviceInterface().getMethods()) {
            if (!Modifier.isStatic(method.getModifiers())) {
                MethodMetadata metadata = MethodMetadata.forProvider(method, service.serviceKey());
                // A method taking a stream is called with the binary protocol only.
                if (metadata.requestStreamIndex() < 0) {
                    methods.add(metadata);
                }
            }
        }
        methods.sort(Comparator.comparing(MethodMetadata::name).thenComparing(MethodMetadata::parameterDescriptor));
        return methods;
    }

    /** {@code [{"name", "type"}]} per parameter, in order: what the console shows and fills in. */
    private ArrayNode parameterList(MethodMetadata method) {
        ArrayNode list = nodes.arrayNode();
        for (Parameter p : method.method().getParameters()) {
            list.addObject().put("name", p.getName()).put("type", p.getParameterizedType().getTypeName());
        }
        return list;
    }

    private ObjectNode requestBody(MethodMetadata method, JsonSchemaGenerator schemas) {
        Method m = method.method();
        Parameter[] parameters = m.getParameters();
        ObjectNode array = nodes.objectNode().put("type", "array")
                .put("minItems", parameters.length).put("maxItems", parameters.length);
        if (parameters.length > 0) {
            ArrayNode prefix = array.putArray("prefixItems");
            for (Type t : method.parameterTypes()) {
                prefix.add(schemas.schema(t));
            }
        }
        ObjectNode schema = array;
        if (parameters.length > 0 && JsonCallBinding.namesKnown(m)) {
            ObjectNode object = nodes.objectNode().put("type", "object");
            ObjectNode properties = object.putObject("properties");
            ArrayNode required = nodes.arrayNode();
            for (int i = 0; i < parameters.length; i++) {
                properties.set(parameters[i].getName(), schemas.schema(method.parameterTypes()[i]));
                if (!JsonCallBinding.omittable(parameters[i].getType())) {
                    required.add(parameters[i].getName());
                }
            }
            if (!required.isEmpty()) {
                object.set("required", required);
            }
            object.put("additionalProperties", false);
            schema = nodes.objectNode();
            schema.putArray("oneOf").add(array).add(object);
        }
        ObjectNode body = nodes.objectNode();
        body.put("description", parameters.length == 0 ? "No arguments: empty, or []"
                : "The arguments: " + describeParameters(m));
        body.put("required", parameters.length > 0);
        body.putObject("content").putObject("application/json").set("schema", schema);
        return body;
    }

    private ObjectNode responses(MethodMetadata method, JsonSchemaGenerator schemas) {
        ObjectNode responses = nodes.objectNode();
        if (method.isResponseStreaming()) {
            ObjectNode content = responses.putObject("200")
                    .put("description", "The streamed result: one JSON value per line (NDJSON), or one server-sent "
                            + "event per value when the request accepts text/event-stream. An error after the first "
                            + "value ends the stream with a last line {\"error\": <problem>} or an \"error\" event.")
                    .putObject("content");
            content.putObject(HttpCallHandler.NDJSON).set("schema", schemas.schema(method.valueType()));
            content.putObject(HttpCallHandler.EVENT_STREAM).putObject("schema").put("type", "string");
        } else if (JsonCallBinding.returnsNothing(method)) {
            responses.putObject("204").put("description", "Done; the method returns nothing.");
        } else {
            responses.putObject("200").put("description", "The return value.")
                    .putObject("content").putObject("application/json")
                    .set("schema", schemas.schema(method.valueType()));
        }
        for (int status : ERROR_STATUSES) {
            responses.putObject(Integer.toString(status)).put("$ref", "#/components/responses/" + PROBLEM);
        }
        responses.putObject("default").put("$ref", "#/components/responses/" + PROBLEM);
        return responses;
    }

    private ObjectNode problemSchema() {
        ObjectNode schema = nodes.objectNode().put("type", "object")
                .put("description", "RFC 9457 problem details with Courier's error code.");
        ObjectNode p = schema.putObject("properties");
        p.putObject("type").put("type", "string").put("format", "uri-reference");
        p.putObject("title").put("type", "string");
        p.putObject("status").put("type", "integer").put("format", "int32");
        p.putObject("detail").put("type", "string");
        p.putObject("instance").put("type", "string").put("format", "uri-reference");
        ArrayNode codes = p.putObject("code").put("type", "string")
                .put("description", "Courier's RpcErrorCode name").putArray("enum");
        for (RpcErrorCode code : RpcErrorCode.values()) {
            if (code != RpcErrorCode.OK) {
                codes.add(code.name());
            }
        }
        p.putObject("exception").put("type", "string")
                .put("description", "For APPLICATION_ERROR: the business exception's class name");
        p.putObject("parameter").put("type", "string")
                .put("description", "For a bad argument: the parameter's name");
        p.putObject("candidates").put("type", "array")
                .put("description", "For an ambiguous call: the exact paths of the candidate overloads")
                .putObject("items").put("type", "string");
        schema.putArray("required").add("type").add("title").add("status").add("code");
        return schema;
    }

    private static String operationId(ServiceConfig<?> service, MethodMetadata method, boolean overloaded,
            Set<String> taken) {
        String base = (service.serviceKey().toString() + "_" + method.name()).replaceAll("[^A-Za-z0-9_]", "_");
        if (overloaded) {
            base += "_" + method.parameterTypes().length;
        }
        String id = base;
        for (int i = 2; !taken.add(id); i++) {
            id = base + "_" + i;
        }
        return id;
    }

    private static String signature(MethodMetadata method) {
        return method.valueType().getTypeName() + " " + method.name() + "(" + describeParameters(method.method()) + ")";
    }

    private static String describeParameters(Method m) {
        StringBuilder sb = new StringBuilder();
        Parameter[] parameters = m.getParameters();
        for (int i = 0; i < parameters.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(parameters[i].getParameterizedType().getTypeName()).append(' ').append(parameters[i].getName());
        }
        return sb.toString();
    }
}
