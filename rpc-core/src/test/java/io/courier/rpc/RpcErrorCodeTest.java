package io.courier.rpc;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpcErrorCodeTest {

    @Test
    void everyCodeHasItsOwnNumberAndDecodesToItself() {
        Map<Integer, RpcErrorCode> seen = new HashMap<>();
        for (RpcErrorCode c : RpcErrorCode.values()) {
            assertThat(seen.put(c.code(), c)).as("code %d of %s", c.code(), c).isNull();
            assertThat(RpcErrorCode.of(c.code())).isSameAs(c);
        }
        assertThat(seen).hasSize(RpcErrorCode.values().length);
    }

    @Test
    void unknownNumbersDecodeToUnknown() {
        int max = 0;
        for (RpcErrorCode c : RpcErrorCode.values()) {
            max = Math.max(max, c.code());
        }
        assertThat(RpcErrorCode.of(max + 1)).isEqualTo(RpcErrorCode.UNKNOWN);
        assertThat(RpcErrorCode.of(-1)).isEqualTo(RpcErrorCode.UNKNOWN);
        assertThat(RpcErrorCode.of(Integer.MAX_VALUE)).isEqualTo(RpcErrorCode.UNKNOWN);
        assertThat(RpcErrorCode.of(Integer.MIN_VALUE)).isEqualTo(RpcErrorCode.UNKNOWN);
    }

    @Test
    void tableRefusesTwoConstantsWithTheSameNumberNamingBoth() {
        RpcErrorCode[] constants = {RpcErrorCode.OK, RpcErrorCode.TIMEOUT, RpcErrorCode.SERVER_BUSY};
        // Pretend SERVER_BUSY was given TIMEOUT's number.
        assertThatThrownBy(() -> RpcErrorCode.index(constants,
                c -> c == RpcErrorCode.SERVER_BUSY ? RpcErrorCode.TIMEOUT.code() : c.code()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SERVER_BUSY")
                .hasMessageContaining("TIMEOUT")
                .hasMessageContaining("code " + RpcErrorCode.TIMEOUT.code());
    }

    @Test
    void tableRefusesNegativeNumbers() {
        assertThatThrownBy(() -> RpcErrorCode.index(new RpcErrorCode[] {RpcErrorCode.OK}, c -> -3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("OK")
                .hasMessageContaining("-3");
    }

    @Test
    void tableMapsDistinctNumbersAndLeavesGapsEmpty() {
        RpcErrorCode[] table = RpcErrorCode.index(new RpcErrorCode[] {RpcErrorCode.OK, RpcErrorCode.TIMEOUT},
                c -> c == RpcErrorCode.TIMEOUT ? 3 : c.code());
        assertThat(table).containsExactly(RpcErrorCode.OK, null, null, RpcErrorCode.TIMEOUT);
    }
}
