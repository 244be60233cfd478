package io.courier.rpc.config;

import io.courier.rpc.InvalidOptionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decode budget of a server: defaults derived from the heap, checks as they are set, and {@code toBuilder}. */
class ServerOptionsDecodeBudgetTest {

    @Test
    void defaultsAreAQuarterOfTheHeapAndAQuarterOfThat() {
        ServerOptions options = ServerOptions.ofDefaults();
        long heap = Runtime.getRuntime().maxMemory();
        assertThat(options.decodeBudget()).isEqualTo(heap / 4);
        assertThat(options.maxDecodedCallSize()).isEqualTo(heap / 16);
    }

    @Test
    void valuesSurviveToBuilderAndTheLimitPerCallNeverExceedsTheBudget() {
        ServerOptions options = ServerOptions.builder().decodeBudget(64L << 20).maxDecodedCallSize(8L << 20)
                .build().toBuilder().build();
        assertThat(options.decodeBudget()).isEqualTo(64L << 20);
        assertThat(options.maxDecodedCallSize()).isEqualTo(8L << 20);
        assertThat(options.toString()).contains("decodeBudget=67108864", "maxDecodedCallSize=8388608");
        assertThat(ServerOptions.builder().decodeBudget(64L << 20).build().maxDecodedCallSize()).isEqualTo(16L << 20);
        assertThat(ServerOptions.builder().decodeBudget(1L << 20).maxDecodedCallSize(8L << 20).build()
                .maxDecodedCallSize()).isEqualTo(1L << 20);
    }

    @Test
    void negativeValuesAreRefusedAsTheyAreSet() {
        assertThatThrownBy(() -> ServerOptions.builder().decodeBudget(-1))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("decodeBudget: -1 (expected: >= 0 (0: a quarter of the max heap))");
        assertThatThrownBy(() -> ServerOptions.builder().maxDecodedCallSize(-5))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageStartingWith("maxDecodedCallSize: -5 (expected: >= 0");
    }
}
