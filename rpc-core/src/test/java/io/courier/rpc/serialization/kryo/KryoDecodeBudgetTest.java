package io.courier.rpc.serialization.kryo;

import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.serialization.DecodeBudget;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Kryo charges what decoding allocates to the current call's {@link DecodeBudget}, before allocating it. */
class KryoDecodeBudgetTest {

    private final KryoSerializer kryo = new KryoSerializer();

    @Test
    void anEightMegabyteBodyOfZeroLongsIsRefusedBeforeItsSixtyFourMegabyteArray() {
        long[] zeros = new long[8_000_000];
        byte[] body = arguments(new Object[] {zeros}, long[].class);
        assertThat(body.length).isLessThan(8_100_000); // var-encoded: a byte a long

        DecodeBudget budget = new DecodeBudget(32L << 20, 128L << 20);
        RpcException e = readWith(budget, body, long[].class);
        assertThat(e.code()).isEqualTo(RpcErrorCode.RESOURCE_EXHAUSTED);
        assertThat(e.getMessage()).contains("long[]");
        assertThat(budget.available()).isEqualTo(budget.total());
    }

    @Test
    void stringsCollectionsAndMapsAreCharged() {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            strings.add("s" + i);
        }
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            map.put("k" + i, i);
        }
        byte[] body = arguments(new Object[] {strings, map}, List.class, Map.class);
        DecodeBudget budget = new DecodeBudget(64L << 20, 64L << 20);
        DecodeBudget.Allotment call = budget.open();
        try (DecodeBudget.Scope ignored = call.makeCurrent()) {
            Object[] read = kryo.readArguments(new Type[] {List.class, Map.class}, new ByteArrayInputStream(body));
            assertThat(read[0]).isEqualTo(strings);
            assertThat(read[1]).isEqualTo(map);
        }
        // 20,000 strings of ~45 bytes and 24-byte slots; 5,000 entries of ~80 bytes plus their keys.
        assertThat(call.charged()).isBetween(1_500_000L, 4_000_000L);
        call.close();

        DecodeBudget small = new DecodeBudget(1L << 20, 64L << 20);
        RpcException e = readWith(small, body, List.class, Map.class);
        assertThat(e.code()).isEqualTo(RpcErrorCode.RESOURCE_EXHAUSTED);
    }

    @Test
    void withoutACurrentAllotmentNothingIsCharged() {
        byte[] body = arguments(new Object[] {new long[100_000]}, long[].class);
        Object[] read = kryo.readArguments(new Type[] {long[].class}, new ByteArrayInputStream(body));
        assertThat((long[]) read[0]).hasSize(100_000);
    }

    private byte[] arguments(Object[] values, Type... types) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        kryo.writeArguments(values, types, out);
        return out.toByteArray();
    }

    private RpcException readWith(DecodeBudget budget, byte[] body, Type... types) {
        DecodeBudget.Allotment call = budget.open();
        try (DecodeBudget.Scope ignored = call.makeCurrent()) {
            return catchThrowableOfType(RpcException.class,
                    () -> kryo.readArguments(types, new ByteArrayInputStream(body)));
        } finally {
            call.close();
        }
    }
}
