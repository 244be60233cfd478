package io.courier.rpc.internal.http;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.internal.dispatch.MethodInvoker;
import io.courier.rpc.internal.http.CatalogService.Category;
import io.courier.rpc.internal.http.CatalogService.Item;
import io.courier.rpc.internal.http.CatalogService.Tag;
import io.courier.rpc.invoke.MethodMetadata;
import io.courier.rpc.serialization.json.JsonSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonCallBindingTest {

    private static final String KEY = "io.courier.rpc.internal.http.CatalogService";
    private static final String BASE = "/rpc/" + KEY + "/";

    private final ServiceConfig<CatalogService> config = ServiceConfig.of(CatalogService.class, new CatalogServiceImpl());
    private final InvokerTable table = InvokerTable.of(List.of(config));
    private final JsonCallBinding binding = new JsonCallBinding(new JsonSerializer());

    @Test
    void arrayBodyChoosesTheOverloadByArity() {
        JsonCallBinding.BoundCall two = bind("sum", null, "[1, 2]");
        assertThat(two.method().parameterDescriptor()).isEqualTo("long,long");
        assertThat(two.arguments()).containsExactly(1L, 2L);

        JsonCallBinding.BoundCall three = bind("sum", null, "[1, 2, 3]");
        assertThat(three.method().parameterDescriptor()).isEqualTo("long,long,long");
        assertThat(three.arguments()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void objectBodyChoosesTheOverloadByParameterNames() {
        JsonCallBinding.BoundCall byName = bind("get", null, "{\"name\": \"lamp\"}");
        assertThat(byName.method().parameterDescriptor()).isEqualTo("java.lang.String");
        assertThat(byName.arguments()).containsExactly("lamp");

        JsonCallBinding.BoundCall byId = bind("get", null, "{\"id\": 7}");
        assertThat(byId.method().parameterDescriptor()).isEqualTo("long");

        JsonCallBinding.BoundCall both = bind("get", null, "{\"withParent\": true, \"id\": 7}");
        assertThat(both.method().parameterDescriptor()).isEqualTo("long,boolean");
        assertThat(both.arguments()).containsExactly(7L, true);
    }

    @Test
    void sameArityOverloadsAreAmbiguousAndTheErrorListsTheCandidates() {
        JsonCallException e = bindFails("get", null, "[42]");

        assertThat(e.code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(e.getMessage()).contains("Ambiguous", "get(long id)", "get(java.lang.String name)")
                .doesNotContain("withParent");
        assertThat(e.candidates()).containsExactly(BASE + "get~java.lang.String", BASE + "get~long");

        JsonCallException byName = bindFails("sumOf", null, "{\"count\": 1, \"unit\": \"m\"}");
        assertThat(byName.candidates()).containsExactlyInAnyOrder(BASE + "sumOf~int,java.lang.String",
                BASE + "sumOf~java.lang.String,int");
    }

    @Test
    void noFittingOverloadListsEveryCandidate() {
        JsonCallException e = bindFails("sum", null, "[1]");

        assertThat(e.code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(e.getMessage()).contains("No overload of sum takes 1 argument(s)");
        assertThat(e.candidates()).hasSize(2);
    }

    @Test
    void theOverloadSelectorPicksExactlyOne() {
        JsonCallBinding.BoundCall call = bind("get", "long", "[42]");
        assertThat(call.method().parameterDescriptor()).isEqualTo("long");
        assertThat(call.arguments()).containsExactly(42L);

        assertThat(bind("get", "java.lang.String", "[\"42\"]").arguments()).containsExactly("42");

        RpcPath path = RpcPath.parse(BASE + "sumOf~java.lang.String,int");
        JsonCallBinding.BoundCall viaPath = bind(path.methodName(), path.parameterDescriptor(), "[\"m\", 3]");
        assertThat(viaPath.arguments()).containsExactly("m", 3);
    }

    @Test
    void anUnknownOverloadSelectorIsMethodNotFound() {
        JsonCallException e = bindFails("get", "double", "[1]");

        assertThat(e.code()).isEqualTo(RpcErrorCode.METHOD_NOT_FOUND);
        assertThat(e.getMessage()).contains("get(double)");
        assertThat(e.candidates()).hasSize(3);
    }

    @Test
    void theChosenMethodIsTheInvokerTablesMethod() {
        JsonCallBinding.BoundCall call = bind("sum", null, "[1, 2]");
        MethodInvoker invoker = table.lookup(KEY, call.method().name(), call.method().parameterDescriptor());
        assertThat(invoker.method()).isEqualTo(call.method().method());
    }

    @Test
    void optionalParametersMayBeLeftOutOfAnObject() {
        JsonCallBinding.BoundCall call = bind("find", null, "{\"categories\": [\"BOOK\"], \"limit\": 5}");
        assertThat(call.arguments()).containsExactly(Set.of(Category.BOOK), 5, Optional.empty());

        JsonCallBinding.BoundCall given = bind("find", null, "[[\"TOOL\", \"MUSIC\"], 1, \"saw\"]");
        assertThat(given.arguments()).containsExactly(Set.of(Category.TOOL, Category.MUSIC), 1, Optional.of("saw"));
    }

    @Test
    void richValuesDecodeAsTheirDeclaredTypes() {
        String item = "{\"id\": 1, \"name\": \"lamp\", \"price\": 12.50, \"category\": \"TOOL\","
                + " \"created\": \"2026-01-31T10:15:30Z\", \"released\": \"2025-12-24\", \"note\": null,"
                + " \"tags\": [{\"key\": \"k\", \"value\": \"v\"}], \"stock\": {\"paris\": 3},"
                + " \"parent\": {\"id\": 0}, \"thumbnail\": \"AQID\", \"ignored\": 1}";
        Object[] args = bind("byCategory", null, "[{\"a\": " + item + "}]").arguments();

        @SuppressWarnings("unchecked")
        Item decoded = ((Map<String, Item>) args[0]).get("a");
        assertThat(decoded.price()).isEqualByComparingTo(new BigDecimal("12.50"));
        assertThat(decoded.category()).isEqualTo(Category.TOOL);
        assertThat(decoded.created()).isEqualTo(Instant.parse("2026-01-31T10:15:30Z"));
        assertThat(decoded.released()).isEqualTo(LocalDate.of(2025, 12, 24));
        assertThat(decoded.note()).isEmpty();
        assertThat(decoded.tags()).containsExactly(new Tag("k", "v"));
        assertThat(decoded.stock()).containsEntry("paris", 3);
        assertThat(decoded.parent().id()).isZero();
        assertThat(decoded.thumbnail()).containsExactly(1, 2, 3);

        UUID id = UUID.randomUUID();
        assertThat(bind("getAsync", null, "[\"" + id + "\"]").arguments()).containsExactly(id);
        assertThat(bind("big", null, "[123456789012345678901234567890]").arguments())
                .containsExactly(new BigInteger("123456789012345678901234567890"));
        Object[] arrays = bind("names", null, "[[1, 2], [[\"a\"], []]]").arguments();
        assertThat((int[]) arrays[0]).containsExactly(1, 2);
        assertThat(Arrays.asList((List<?>[]) arrays[1])).containsExactly(List.of("a"), List.of());
    }

    @Test
    void aNoArgumentMethodTakesAnEmptyBodyOrAnEmptyArray() {
        assertThat(bind("count", null, "").arguments()).isEmpty();
        assertThat(bind("count", null, "  \n").arguments()).isEmpty();
        assertThat(bind("count", null, "[]").arguments()).isEmpty();
        assertThat(binding.bind(overloads("count"), null, null).arguments()).isEmpty();
    }

    @Test
    void aWrongTypeNamesTheParameter() {
        JsonCallException e = bindFails("page", null, "[1, \"many\"]");

        assertThat(e.code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(e.parameter()).isEqualTo("size");
        assertThat(e.getMessage()).contains("'size'", "parameter 2", "page(int number, int size)");
    }

    @Test
    void nullForAPrimitiveNamesTheParameter() {
        JsonCallException e = bindFails("page", null, "{\"number\": null, \"size\": 2}");

        assertThat(e.parameter()).isEqualTo("number");
        assertThat(e.getMessage()).contains("is null but int is declared");
    }

    @Test
    void wrongArityNamesTheMissingParameter() {
        JsonCallException missing = bindFails("page", null, "[1]");
        assertThat(missing.parameter()).isEqualTo("size");
        assertThat(missing.getMessage()).contains("Missing argument 'size'", "got 1 of 2");

        JsonCallException tooMany = bindFails("page", null, "[1, 2, 3]");
        assertThat(tooMany.getMessage()).contains("Too many arguments", "takes 2, got 3");

        JsonCallException empty = bindFails("page", null, "");
        assertThat(empty.parameter()).isEqualTo("number");
    }

    @Test
    void anArrayBodyIsReadStraightOrExplainedLikeAnyOther() {
        // One overload and an array: read without a tree; anything off falls back to the tree path's errors.
        assertThat(bind("page", null, " [1, 2] ").arguments()).containsExactly(1, 2);
        assertThat(bind("find", null, "[[\"TOOL\"], 3, null]").arguments())
                .containsExactly(Set.of(Category.TOOL), 3, Optional.empty());

        MethodMetadata page = overloads("page").get(0);
        assertThat(binding.readArray(page, "[1, 2]".getBytes(StandardCharsets.UTF_8))).containsExactly(1, 2);
        for (String off : List.of("[1, 2] [3]", "[1, 2],", "[null, 2]", "[1]", "[1, 2, 3]", "{\"number\": 1}", "")) {
            assertThat(binding.readArray(page, off.getBytes(StandardCharsets.UTF_8))).as(off).isNull();
        }
        assertThat(bindFails("page", null, "[1, 2] [3]").getMessage()).startsWith("Body is not valid JSON");
        assertThat(bindFails("page", null, "[1, 2],").getMessage()).startsWith("Body is not valid JSON");
        JsonCallException nullPrimitive = bindFails("page", null, "[null, 2]");
        assertThat(nullPrimitive.parameter()).isEqualTo("number");
        assertThat(nullPrimitive.getMessage()).contains("is null but int is declared");
        assertThat(bindFails("page", null, "[1, {\"a\": 1}]").parameter()).isEqualTo("size");
    }

    @Test
    void objectBodyNamesMissingAndUnknownParameters() {
        JsonCallException missing = bindFails("page", null, "{\"number\": 1}");
        assertThat(missing.parameter()).isEqualTo("size");

        JsonCallException unknown = bindFails("page", null, "{\"number\": 1, \"size\": 2, \"sort\": \"x\"}");
        assertThat(unknown.parameter()).isEqualTo("sort");
        assertThat(unknown.getMessage()).contains("Unknown parameter 'sort'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"x\"", "true", "null"})
    void aScalarBodyIsRefused(String body) {
        JsonCallException e = bindFails("page", null, body);

        assertThat(e.code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(e.getMessage()).contains("must be a JSON array of arguments or an object by parameter name");
    }

    @Test
    void invalidJsonIsABadRequest() {
        JsonCallException e = bindFails("page", null, "[1, 2");

        assertThat(e.code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(e.getMessage()).startsWith("Body is not valid JSON");
    }

    @Test
    void nonUtf8BodiesAreRefused() {
        byte[] latin1 = "[\"caf\u00e9\"]".getBytes(StandardCharsets.ISO_8859_1);
        JsonCallException malformed = catchThrowableOfType(JsonCallException.class,
                () -> binding.bind(overloads("get"), "java.lang.String", latin1));
        assertThat(malformed.code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(malformed.getMessage()).contains("not UTF-8");

        byte[] utf16 = "[42]".getBytes(StandardCharsets.UTF_16BE);
        JsonCallException wide = catchThrowableOfType(JsonCallException.class,
                () -> binding.bind(overloads("get"), "long", utf16));
        assertThat(wide.getMessage()).contains("not UTF-8", "UTF-16");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=ISO-8859-1", "application/json;charset=\"utf-16\"",
            "text/plain; CHARSET=windows-1252"})
    void aDeclaredCharsetOtherThanUtf8IsRefused(String contentType) {
        JsonCallException e = catchThrowableOfType(JsonCallException.class, () -> JsonCallBinding.requireUtf8(contentType));

        assertThat(e.code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(e.getMessage()).contains("is not supported; send JSON as UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=UTF-8", "application/json;charset=\"utf8\"",
            "application/x-www-form-urlencoded"})
    void utf8OrNoCharsetIsAccepted(String contentType) {
        JsonCallBinding.requireUtf8(contentType);
        JsonCallBinding.requireUtf8(null);
    }

    @Test
    void utf8WithAndWithoutAByteOrderMarkIsRead() {
        assertThat(binding.bind(overloads("get"), "java.lang.String",
                "[\"caf\u00e9 \u2615\"]".getBytes(StandardCharsets.UTF_8)).arguments()).containsExactly("caf\u00e9 \u2615");
        assertThat(binding.bind(overloads("get"), "java.lang.String",
                "\uFEFF[\"x\"]".getBytes(StandardCharsets.UTF_8)).arguments()).containsExactly("x");
    }

    @Test
    void deepNestingIsRefusedByTheStreamReadConstraints() {
        String deep = "[" + "[".repeat(5_000) + "]".repeat(5_000) + "]";
        JsonCallException e = bindFails("anything", null, deep);

        assertThat(e.code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(e.getMessage()).contains("exceeds a JSON limit").containsIgnoringCase("nesting depth");

        String shallow = "[" + "[".repeat(50) + "]".repeat(50) + "]";
        assertThat(bind("anything", null, shallow).arguments()).hasSize(1);
    }

    @Test
    void overlongNumbersAreRefusedByTheStreamReadConstraints() {
        JsonCallException e = bindFails("big", null, "[" + "9".repeat(5_000) + "]");

        assertThat(e.code()).isEqualTo(RpcErrorCode.BAD_REQUEST);
        assertThat(e.getMessage()).contains("exceeds a JSON limit");
    }

    @Test
    void noDefaultTypingTheSenderCannotChooseAClass() {
        Object value = bind("anything", null,
                "[{\"@class\": \"java.io.File\", \"path\": \"/etc/passwd\"}]").arguments()[0];
        assertThat(value).isInstanceOf(Map.class);

        Object array = bind("anything", null, "[[\"java.io.File\", \"/etc/passwd\"]]").arguments()[0];
        assertThat(array).isInstanceOf(List.class);
    }

    @Test
    void resultsAreEncodedAsTheirDeclaredValueType() {
        Item item = new Item(1, "lamp", new BigDecimal("9.90"), Category.TOOL, Instant.parse("2026-01-31T10:15:30Z"),
                LocalDate.of(2025, 12, 24), Optional.empty(), List.of(new Tag("k", "v")), Map.of("paris", 3), null,
                new byte[] {1, 2, 3});
        String json = encode("getAsync", null, item);
        assertThat(json).contains("\"created\":\"2026-01-31T10:15:30Z\"", "\"released\":\"2025-12-24\"",
                "\"thumbnail\":\"AQID\"", "\"category\":\"TOOL\"", "\"note\":null", "\"price\":9.90");

        assertThat(encode("count", null, 3)).isEqualTo("3");
        assertThat(encode("maybe", null, Optional.empty())).isEqualTo("null");
        assertThat(encode("get", "long", null)).isEqualTo("null");
        assertThat(binding.encodeResult(overloads("delete").get(0), null)).isEmpty();
        assertThat(binding.encodeResult(overloads("deleteAsync").get(0), null)).isEmpty();
        assertThat(JsonCallBinding.returnsNothing(overloads("delete").get(0))).isTrue();
        assertThat(JsonCallBinding.returnsNothing(overloads("deleteAsync").get(0))).isTrue();
        assertThat(JsonCallBinding.returnsNothing(overloads("count").get(0))).isFalse();
    }

    @Test
    void aResultThatCannotBeWrittenIsInternal() {
        Object selfReferencing = new Object() {
            @SuppressWarnings("unused")
            public Object getSelf() {
                return this;
            }
        };
        io.courier.rpc.RpcException e = catchThrowableOfType(io.courier.rpc.RpcException.class,
                () -> binding.encodeResult(overloads("anything").get(0), selfReferencing));
        assertThat(e.code()).isEqualTo(RpcErrorCode.INTERNAL);
    }

    @Test
    void invokerTableListsEveryOverloadSortedByDescriptor() {
        assertThat(table.overloads(KEY, "get")).extracting(i -> i.metadata().parameterDescriptor())
                .containsExactly("java.lang.String", "long", "long,boolean");
        assertThat(catchThrowableOfType(io.courier.rpc.RpcException.class, () -> table.overloads(KEY, "nope")).code())
                .isEqualTo(RpcErrorCode.METHOD_NOT_FOUND);
        assertThat(catchThrowableOfType(io.courier.rpc.RpcException.class, () -> table.overloads("x.Y", "get")).code())
                .isEqualTo(RpcErrorCode.SERVICE_NOT_FOUND);
    }

    private List<MethodMetadata> overloads(String name) {
        return table.overloads(KEY, name).stream().map(MethodInvoker::metadata).toList();
    }

    private JsonCallBinding.BoundCall bind(String name, String descriptor, String body) {
        return binding.bind(overloads(name), descriptor, body.getBytes(StandardCharsets.UTF_8));
    }

    private JsonCallException bindFails(String name, String descriptor, String body) {
        JsonCallException e = catchThrowableOfType(JsonCallException.class, () -> bind(name, descriptor, body));
        assertThat(e).as("binding " + body + " to " + name).isNotNull();
        return e;
    }

    private String encode(String name, String descriptor, Object value) {
        MethodMetadata m = overloads(name).stream()
                .filter(o -> descriptor == null || o.parameterDescriptor().equals(descriptor)).findFirst().orElseThrow();
        return new String(binding.encodeResult(m, value), StandardCharsets.UTF_8);
    }
}
