package io.courier.rpc.serialization.json;

import io.courier.rpc.RpcException;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.serialization.SerializationException;
import io.courier.rpc.serialization.fixtures.Page;
import io.courier.rpc.serialization.fixtures.Query;
import io.courier.rpc.serialization.fixtures.TypeRef;
import io.courier.rpc.serialization.fixtures.User;
import io.courier.rpc.serialization.fixtures.hostile.Gadget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonSerializerTest {

    private final JsonSerializer serializer = new JsonSerializer();

    @Test
    void valuesAreReadWithTheDeclaredTypeSoNoClassNamesTravel() {
        Page<User> page = new Page<>(List.of(User.sample(1)), 1);
        Type type = new TypeRef<Page<User>>() { }.type();

        String json = writeValue(serializer, page, type);

        assertThat(json).doesNotContain("io.courier").doesNotContain("@class");
        assertThat(readValue(serializer, type, json)).isEqualTo(page);
    }

    @Test
    void defaultTypingOnASuppliedMapperIsSwitchedOff() {
        JsonMapper typing = JsonMapper.builder()
                .activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
                        DefaultTyping.NON_FINAL)
                .build();
        JsonSerializer withTyping = new JsonSerializer(typing);

        String json = writeValue(withTyping, new Page<>(List.of(new Gadget("x")), 1), Object.class);

        assertThat(json).doesNotContain("Gadget").doesNotContain("io.courier");
        assertThat(readValue(withTyping, Object.class, "[\"" + Gadget.class.getName() + "\",{\"command\":\"x\"}]"))
                .isInstanceOf(List.class);
    }

    @Test
    void otherSettingsOfASuppliedMapperAreKept() {
        JsonSerializer indenting = new JsonSerializer(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build());

        assertThat(writeValue(indenting, new Query("q", 1), Query.class)).contains("\n");
    }

    @Test
    void wireShapes() {
        assertThat(writeArguments(new Object[] {1, "a", null}, new Type[] {int.class, String.class, Query.class}))
                .isEqualTo("[1,\"a\",null]");
        assertThat(writeValue(serializer, LocalDate.of(2024, 2, 29), LocalDate.class)).isEqualTo("\"2024-02-29\"");
        assertThat(writeValue(serializer, Instant.parse("2024-05-01T10:15:30Z"), Instant.class))
                .isEqualTo("\"2024-05-01T10:15:30Z\"");
        assertThat(writeValue(serializer, Duration.ofSeconds(90), Duration.class)).isEqualTo("\"PT1M30S\"");
        assertThat(writeValue(serializer, null, Query.class)).isEqualTo("null");
    }

    @Test
    void unknownPropertiesAreIgnored() {
        assertThat(readValue(serializer, Query.class, "{\"text\":\"a\",\"limit\":3,\"addedLater\":{\"x\":[1]}}"))
                .isEqualTo(new Query("a", 3));
    }

    @Test
    void exceptionsAreTypeAndMessageWithoutStackTraces() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.writeException(new IllegalStateException("bad", new IllegalArgumentException("worse")), out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"java.lang.IllegalStateException\","
                + "\"message\":\"bad\",\"cause\":{\"type\":\"java.lang.IllegalArgumentException\",\"message\":\"worse\"}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"java.lang.String\",\"message\":\"x\"}",
            "{\"type\":\"com.acme.Missing\",\"message\":\"x\"}",
            "{\"type\":\"io.courier.rpc.serialization.fixtures.BusinessException\",\"message\":\"x\"}",
            "{\"message\":\"x\"}",
            "[1]",
            ""})
    void refusesExceptionsItCannotReCreate(String json) {
        assertThatThrownBy(() -> serializer.readException(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void anExceptionWithoutAMessageConstructorIsReCreatedWithItsMessageAndFields() {
        String json = "{\"type\":\"io.courier.rpc.serialization.fixtures.NoMessageException\",\"message\":\"error 7\","
                + "\"fields\":{\"errorCode\":7}}";

        Throwable read = serializer.readException(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(read).isExactlyInstanceOf(io.courier.rpc.serialization.fixtures.NoMessageException.class)
                .hasMessage("error 7");
        assertThat(((io.courier.rpc.serialization.fixtures.NoMessageException) read).errorCode()).isEqualTo(7);
    }

    @Test
    void aCauseThatCannotBeReCreatedBecomesAnRpcException() {
        String json = "{\"type\":\"java.lang.IllegalStateException\",\"message\":\"outer\","
                + "\"cause\":{\"type\":\"com.acme.Missing\",\"message\":\"inner\"}}";

        Throwable read = serializer.readException(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(read).isExactlyInstanceOf(IllegalStateException.class).hasMessage("outer");
        assertThat(read.getCause()).isExactlyInstanceOf(RpcException.class).hasMessage("inner");
        assertThat(((RpcException) read.getCause()).code()).isEqualTo(RpcErrorCode.APPLICATION_ERROR);
        assertThat(((RpcException) read.getCause()).remoteClassName()).isEqualTo("com.acme.Missing");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThatThrownBy(() -> readValue(serializer, Object.class, deep)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serializer.readArguments(new Type[] {Object.class},
                new ByteArrayInputStream(("[" + deep + "]").getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void argumentsMustBeAnArray() {
        assertThatThrownBy(() -> serializer.readArguments(new Type[] {int.class},
                new ByteArrayInputStream("{\"a\":1}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(SerializationException.class)
                .hasMessage("JSON arguments must be an array");
    }

    private String writeArguments(Object[] arguments, Type[] types) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.writeArguments(arguments, types, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String writeValue(JsonSerializer serializer, Object value, Type type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.writeValue(value, type, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Object readValue(JsonSerializer serializer, Type type, String json) {
        return serializer.readValue(type, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
