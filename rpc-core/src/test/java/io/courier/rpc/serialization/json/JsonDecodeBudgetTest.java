package io.courier.rpc.serialization.json;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.serialization.DecodeBudget;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** JSON arguments are charged to the current call's {@link DecodeBudget} token by token, before they are bound. */
class JsonDecodeBudgetTest {

    /** A bean with properties, bound through the databind's property matching ({@code nextNameMatch}). */
    record Entry(String key, int value) {
    }

    private final JsonSerializer json = new JsonSerializer();

    @Test
    void numbersStringsAndPropertiesAreCharged() {
        StringBuilder body = new StringBuilder("[[");
        for (int i = 0; i < 10_000; i++) {
            body.append(100_000 + i).append(',');
        }
        body.append("1],{\"a\":\"").append("x".repeat(10_000)).append("\"},[");
        for (int i = 0; i < 1_000; i++) {
            body.append("{\"key\":\"k").append(i).append("\",\"value\":").append(i).append("},");
        }
        body.append("{\"key\":\"last\",\"value\":0}]]");
        DecodeBudget budget = new DecodeBudget(64L << 20, 64L << 20);
        DecodeBudget.Allotment call = budget.open();
        Object[] read;
        try (DecodeBudget.Scope ignored = call.makeCurrent()) {
            read = json.readArguments(new Type[] {Object.class, Map.class, Entry[].class}, stream(body));
        }
        assertThat((List<?>) read[0]).hasSize(10_001);
        assertThat(((Map<?, ?>) read[1]).keySet().toString()).isEqualTo("[a]");
        assertThat((Entry[]) read[2]).hasSize(1_001);
        // 10,001 numbers of 24 bytes, a 10,000-char string (2 bytes a char), 1,001 beans of 2 properties.
        assertThat(call.charged()).isBetween(300_000L, 700_000L);
        call.close();
        assertThat(budget.available()).isEqualTo(budget.total());
    }

    @Test
    void aBodyOverTheLimitPerCallIsRefusedWithResourceExhausted() {
        byte[] numbers = raw(new StringBuilder("[[").append("1234567,".repeat(200_000)).append("1]]"));
        byte[] string = raw(new StringBuilder("[\"").append("y".repeat(700_000)).append("\"]"));
        byte[] nested = raw(new StringBuilder("[[").append("[],".repeat(100_000)).append("[]]]"));
        for (byte[] body : List.of(numbers, string, nested)) {
            DecodeBudget budget = new DecodeBudget(1L << 20, 8L << 20);
            DecodeBudget.Allotment call = budget.open();
            RpcException e;
            try (DecodeBudget.Scope ignored = call.makeCurrent()) {
                e = catchThrowableOfType(RpcException.class,
                        () -> json.readArguments(new Type[] {Object.class}, new ByteArrayInputStream(body)));
            }
            assertThat(e.code()).as(String.valueOf(e)).isEqualTo(RpcErrorCode.RESOURCE_EXHAUSTED);
            assertThat(e.getMessage()).contains("limit per call", "JSON");
            call.close();
            assertThat(budget.available()).isEqualTo(budget.total());
        }
    }

    @Test
    void withoutACurrentBudgetNothingIsCharged() {
        // A consumer reading an answer: no provider budget applies.
        Object[] read = json.readArguments(new Type[] {Object.class},
                stream(new StringBuilder("[[").append("1234567,".repeat(200_000)).append("1]]")));
        assertThat((List<?>) read[0]).hasSize(200_001);
        assertThat(DecodeBudget.current()).isNull();
    }

    private static byte[] raw(StringBuilder text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ByteArrayInputStream stream(StringBuilder text) {
        return new ByteArrayInputStream(raw(text));
    }
}
