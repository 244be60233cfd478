package io.courier.rpc.internal.http;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiDocumentTest {

    private final JsonMapper mapper = new JsonSerializer().mapper();
    private final List<ServiceConfig<?>> services = List.of(
            ServiceConfig.of(CatalogService.class, new CatalogServiceImpl()),
            ServiceConfig.builder(CatalogService.class, new CatalogServiceImpl()).group("eu").version("2").build());
    private final OpenApiDocument generator = new OpenApiDocument(mapper, "catalog", "1.0.0");
    private final ObjectNode doc = generator.generate(services);

    @Test
    void passesSwaggerParserWithoutAnyMessage() {
        String json = new String(generator.generateBytes(services), StandardCharsets.UTF_8);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(json, null, options);

        assertThat(result.getMessages()).isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api).isNotNull();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getPaths()).hasSize(2 * methodCount());
        assertThat(api.getComponents().getSchemas()).containsKeys("Item", "Tag", "Node", "Supplier", "Page_Item",
                "Page_Tag", OpenApiDocument.PROBLEM);
    }

    @Test
    void swaggerParserReportsABrokenDocument() {
        ObjectNode broken = doc.deepCopy();
        ((ObjectNode) broken.at("/components/schemas")).remove("Tag");
        ((ObjectNode) broken.at("/info")).remove("version");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(broken.toString(), null, options);

        assertThat(result.getMessages()).isNotEmpty();
    }

    @Test
    void everyExportedMethodHasOnePostOperation() {
        Set<String> expected = new TreeSet<>();
        for (ServiceConfig<?> service : services) {
            List<MethodMetadata> methods = OpenApiDocument.methods(service);
            for (MethodMetadata m : methods) {
                boolean overloaded = methods.stream().filter(o -> o.name().equals(m.name())).count() > 1;
                String key = service.serviceKey().toString();
                expected.add(overloaded ? "/rpc/" + key + "/" + m.name() + "~" + m.parameterDescriptor()
                        : "/rpc/" + key + "/" + m.name());
            }
        }
        Set<String> actual = new TreeSet<>();
        doc.get("paths").propertyNames().forEach(actual::add);
        assertThat(actual).isEqualTo(expected);
        doc.get("paths").forEach(item -> assertThat(item.propertyNames()).containsExactly("post"));
        assertThat(actual).contains("/rpc/eu/io.courier.rpc.internal.http.CatalogService:2/count",
                "/rpc/io.courier.rpc.internal.http.CatalogService/get~long",
                "/rpc/io.courier.rpc.internal.http.CatalogService/get~long,boolean",
                "/rpc/io.courier.rpc.internal.http.CatalogService/get~java.lang.String",
                "/rpc/io.courier.rpc.internal.http.CatalogService/count");
    }

    @Test
    void overloadPathsParseBackToTheirDescriptor() {
        doc.get("paths").propertyNames().forEach(path -> {
            RpcPath parsed = RpcPath.parse(path);
            assertThat(parsed).as(path).isNotNull();
            assertThat(parsed.encoded()).isEqualTo(path);
        });
        RpcPath arrays = RpcPath.parse(path("names"));
        assertThat(arrays.methodName()).isEqualTo("names");
    }

    @Test
    void requestBodyIsAnArrayOrAnObjectByName() {
        JsonNode schema = operation("sum~long,long").at("/requestBody/content/application~1json/schema");
        JsonNode array = schema.at("/oneOf/0");
        assertThat(array.get("type").asString()).isEqualTo("array");
        assertThat(array.get("minItems").asInt()).isEqualTo(2);
        assertThat(array.get("maxItems").asInt()).isEqualTo(2);
        assertThat(array.at("/prefixItems/0/format").asString()).isEqualTo("int64");
        JsonNode object = schema.at("/oneOf/1");
        assertThat(object.at("/properties/a/type").asString()).isEqualTo("integer");
        assertThat(object.get("required").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(object.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(operation("sum~long,long").at("/requestBody/required").asBoolean()).isTrue();
    }

    @Test
    void optionalParametersMayBeLeftOutOfTheObject() {
        JsonNode object = operation("find").at("/requestBody/content/application~1json/schema/oneOf/1");
        assertThat(object.get("required").toString()).isEqualTo("[\"categories\",\"limit\"]");
        assertThat(object.at("/properties/categories/uniqueItems").asBoolean()).isTrue();
        assertThat(object.at("/properties/categories/items/enum").toString()).isEqualTo("[\"BOOK\",\"MUSIC\",\"TOOL\"]");
        assertThat(object.at("/properties/text/anyOf/1/type").asString()).isEqualTo("null");
    }

    @Test
    void noArgumentMethodTakesAnOptionalEmptyBody() {
        JsonNode body = operation("count").get("requestBody");
        assertThat(body.get("required").asBoolean()).isFalse();
        assertThat(body.at("/content/application~1json/schema/maxItems").asInt()).isZero();
    }

    @Test
    void responsesAreTheValueTypeOr204AndProblems() {
        assertThat(operation("getAsync").at("/responses/200/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/Item");
        assertThat(operation("delete").at("/responses").has("204")).isTrue();
        assertThat(operation("delete").at("/responses").has("200")).isFalse();
        assertThat(operation("deleteAsync").at("/responses").has("204")).isTrue();
        assertThat(operation("count").at("/responses/200/content/application~1json/schema/format").asString())
                .isEqualTo("int32");
        JsonNode responses = operation("count").get("responses");
        for (String status : List.of("400", "401", "403", "404", "429", "500", "503", "504", "default")) {
            assertThat(responses.at("/" + status + "/$ref").asString()).isEqualTo("#/components/responses/Problem");
        }
        JsonNode problem = doc.at("/components/schemas/Problem");
        assertThat(problem.at("/properties/code/enum").toString()).contains("\"RATE_LIMITED\"", "\"BAD_REQUEST\"");
        assertThat(problem.at("/properties/code/enum").toString()).doesNotContain("\"OK\"");
        assertThat(doc.at("/components/responses/Problem/content").has("application/problem+json")).isTrue();
        assertThat(RpcErrorCode.values()).isNotEmpty();
    }

    @Test
    void typeKindsMapToJsonSchema() {
        JsonNode item = doc.at("/components/schemas/Item/properties");
        assertThat(item.at("/id/format").asString()).isEqualTo("int64");
        assertThat(item.at("/price/type").asString()).isEqualTo("number");
        assertThat(item.at("/category/$ref").isMissingNode()).isTrue();
        assertThat(item.at("/category/enum").size()).isEqualTo(3);
        assertThat(item.at("/created/format").asString()).isEqualTo("date-time");
        assertThat(item.at("/released/format").asString()).isEqualTo("date");
        assertThat(item.at("/note/anyOf/0/type").asString()).isEqualTo("string");
        assertThat(item.at("/tags/items/$ref").asString()).isEqualTo("#/components/schemas/Tag");
        assertThat(item.at("/stock/additionalProperties/format").asString()).isEqualTo("int32");
        assertThat(item.at("/parent/$ref").asString()).isEqualTo("#/components/schemas/Item");
        assertThat(item.at("/thumbnail/contentEncoding").asString()).isEqualTo("base64");
        assertThat(doc.at("/components/schemas/Item/required").toString()).isEqualTo("[\"id\"]");

        JsonNode supplier = doc.at("/components/schemas/Supplier/properties");
        assertThat(supplier.propertyNames()).containsExactlyInAnyOrder("name", "id", "rating");
        assertThat(supplier.at("/id/format").asString()).isEqualTo("uuid");
        assertThat(doc.at("/components/schemas/Node/properties/children/items/$ref").asString())
                .isEqualTo("#/components/schemas/Node");
        assertThat(doc.at("/components/schemas/Page_Item/properties/items/items/$ref").asString())
                .isEqualTo("#/components/schemas/Item");

        JsonNode available = parameters("available");
        assertThat(available.at("/0/maxLength").asInt()).isEqualTo(1);
        assertThat(available.at("/1/maximum").asInt()).isEqualTo(127);
        assertThat(available.at("/2/maximum").asInt()).isEqualTo(32767);
        assertThat(available.at("/3/format").asString()).isEqualTo("float");
        assertThat(available.at("/4/format").asString()).isEqualTo("double");
        assertThat(available.at("/5/type").asString()).isEqualTo("boolean");
        assertThat(available.at("/6/format").asString()).isEqualTo("int64");

        assertThat(parameters("big").at("/0/type").asString()).isEqualTo("integer");
        assertThat(parameters("big").at("/0/format").isMissingNode()).isTrue();
        JsonNode names = parameters("names");
        assertThat(names.at("/0/items/format").asString()).isEqualTo("int32");
        assertThat(names.at("/1/items/items/type").asString()).isEqualTo("string");
        JsonNode byCategory = operation("byCategory").at("/responses/200/content/application~1json/schema");
        assertThat(byCategory.at("/propertyNames/enum").size()).isEqualTo(3);
        assertThat(byCategory.at("/additionalProperties/items/$ref").asString()).isEqualTo("#/components/schemas/Tag");
        JsonNode age = parameters("age");
        assertThat(age.at("/0/pattern").asString()).startsWith("^");
        assertThat(age.at("/1/pattern").asString()).startsWith("^");
        assertThat(age.at("/2/format").asString()).isEqualTo("date-time");
        assertThat(age.at("/3/format").asString()).isEqualTo("duration");
        assertThat(parameters("anything").at("/0").isEmpty()).isTrue();
        assertThat(operation("maybe").at("/responses/200/content/application~1json/schema/anyOf/1/type").asString())
                .isEqualTo("null");
    }

    @Test
    void componentNamesOfDifferentClassesWithOneSimpleNameDoNotCollide() {
        JsonSchemaGenerator schemas = new JsonSchemaGenerator(mapper);
        String first = schemas.schema(CatalogService.Tag.class).get("$ref").asString();
        String second = schemas.schema(OTHER_TAG).get("$ref").asString();
        assertThat(first).isNotEqualTo(second);
        assertThat(schemas.components()).hasSize(2);
    }

    @Test
    void operationIdsAreUnique() {
        List<String> ids = new ArrayList<>();
        doc.get("paths").forEach(item -> ids.add(item.at("/post/operationId").asString()));
        assertThat(ids).doesNotHaveDuplicates();
    }

    /** Another class whose simple name is Tag. */
    static final class Holder {
        record Tag(String text) {
        }
    }

    private static final Class<?> OTHER_TAG = Holder.Tag.class;

    private int methodCount() {
        return OpenApiDocument.methods(services.get(0)).size();
    }

    private static String path(String method) {
        return "/rpc/io.courier.rpc.internal.http.CatalogService/" + method;
    }

    private JsonNode operation(String method) {
        JsonNode item = doc.get("paths").get(path(method));
        assertThat(item).as(method).isNotNull();
        return item.get("post");
    }

    private JsonNode parameters(String method) {
        JsonNode schema = operation(method).at("/requestBody/content/application~1json/schema");
        return schema.has("oneOf") ? schema.at("/oneOf/0/prefixItems") : schema.get("prefixItems");
    }
}
